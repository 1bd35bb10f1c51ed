import { Group, Loader, Radio, ScrollArea, Stack, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconSearch } from "@tabler/icons-react";
import { useState } from "react";
import { useCompanySearch } from "../../api/crm-links.ts";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { capitalized } from "../../crm/wording.ts";
import { ErrorAlert } from "../../components/ErrorAlert.tsx";

interface Props {
  initialQuery: string;
  value: string | null;
  onChange: (companyId: string, name: string) => void;
}

/** The CRM's company search with one choice. */
export function CompanyPicker({ initialQuery, value, onChange }: Props) {
  const [query, setQuery] = useState(initialQuery);
  const [debounced] = useDebouncedValue(query.trim(), 300);
  const companies = useCompanySearch(debounced, true);
  const items = companies.data ?? [];
  const crm = useWorkspaceCrm();
  const name = crm.displayName;
  const { company } = crm.wording;
  return (
    <Stack gap="xs">
      <TextInput
        label={`Search ${company.many}`}
        placeholder={`${capitalized(company.one)} name or domain`}
        leftSection={<IconSearch size={16} aria-hidden />}
        rightSection={companies.isFetching ? <Loader size={14} aria-label="Searching" /> : null}
        value={query}
        onChange={(e) => setQuery(e.currentTarget.value)}
        data-autofocus
      />
      {companies.isError && <ErrorAlert error={companies.error} title={`${name} ${company.many} could not be searched`} />}
      <ScrollArea.Autosize mah={240} type="auto">
        <Radio.Group value={value} onChange={(id) => onChange(id, items.find((c) => c.id === id)?.name ?? `Company ${id}`)} aria-label={`${name} ${company.many}`}>
          <Stack gap={6}>
            {items.map((company) => (
              <Radio.Card key={company.id} value={company.id} p="xs" radius="sm" aria-label={company.name ?? `Company ${company.id}`}>
                <Group wrap="nowrap" align="flex-start" gap="sm">
                  <Radio.Indicator />
                  <div>
                    <Text size="sm" fw={500}>
                      {company.name ?? "(no name)"}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {company.domains.length ? company.domains.join(", ") : "no domain"} · id {company.id}
                    </Text>
                  </div>
                </Group>
              </Radio.Card>
            ))}
          </Stack>
        </Radio.Group>
        {!companies.isPending && !companies.isError && items.length === 0 && (
          <Text size="sm" c="dimmed" py="xs">
            No {name} {company.one} matches “{debounced}”.
          </Text>
        )}
      </ScrollArea.Autosize>
    </Stack>
  );
}
