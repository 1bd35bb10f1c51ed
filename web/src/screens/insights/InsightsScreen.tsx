import { Group, NativeSelect, SimpleGrid, Stack } from "@mantine/core";
import { IconChartBar } from "@tabler/icons-react";
import { useSearchParams } from "react-router";
import { useFields } from "../../api/fields.ts";
import { useBreakdown } from "../../api/insights.ts";
import type { CustomField } from "../../api/types.ts";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorAlert } from "../../components/ErrorAlert.tsx";
import { LoadingBlock } from "../../components/Loading.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { useCrmNames } from "../../crm/useCrmName.ts";
import { BreakdownChart } from "./BreakdownChart.tsx";
import { BreakdownTable } from "./BreakdownTable.tsx";

/** Without a choice, start from a field that groups well: a select, then anything. */
function defaultField(fields: CustomField[]): CustomField | undefined {
  return fields.find((f) => f.type === "select") ?? fields.find((f) => f.type !== "text") ?? fields[0];
}

export function InsightsScreen() {
  const fields = useFields();
  const crmName = useCrmNames();
  const [params, setParams] = useSearchParams();
  const list = fields.data ?? [];
  const chosen = list.find((f) => f.key === params.get("by")) ?? defaultField(list);
  const breakdown = useBreakdown(chosen?.key ?? null);

  return (
    <Stack gap="md">
      <PageHeader title="Insights" description="How your customers spread over a field: counts per value, per number range or per month." />
      {fields.isError && <ErrorAlert error={fields.error} title="The custom fields could not be loaded" />}
      {fields.isPending ? (
        <LoadingBlock />
      ) : list.length === 0 ? (
        <EmptyState icon={<IconChartBar size={24} />} title="No fields to chart">
          Create or import a custom field under Customers › Custom Fields to see customers broken down by it.
        </EmptyState>
      ) : (
        <>
          <Group>
            <NativeSelect
              label="Customers by"
              data={list.map((f) => ({ value: f.key, label: f.syncMapping ? `${f.label} (${crmName(f.syncMapping.provider)})` : f.label }))}
              value={chosen?.key ?? ""}
              onChange={(e) => setParams({ by: e.currentTarget.value }, { replace: true })}
              w={280}
            />
          </Group>
          {breakdown.isError && <ErrorAlert error={breakdown.error} title="The breakdown could not be loaded" onRetry={() => void breakdown.refetch()} />}
          {breakdown.isPending ? (
            <LoadingBlock label="Loading chart" />
          ) : breakdown.data ? (
            breakdown.data.total === 0 ? (
              <EmptyState icon={<IconChartBar size={24} />} title="No customers yet">
                The chart fills in as customers are added.
              </EmptyState>
            ) : (
              <SimpleGrid cols={{ base: 1, lg: 3 }}>
                <div style={{ gridColumn: "span 2" }}>
                  <BreakdownChart breakdown={breakdown.data} />
                </div>
                <BreakdownTable breakdown={breakdown.data} />
              </SimpleGrid>
            )
          ) : null}
        </>
      )}
    </Stack>
  );
}
