import { Button, Group, Paper, Stack } from "@mantine/core";
import { IconActivity } from "@tabler/icons-react";
import { useRuns } from "../../api/sync-runs.ts";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorAlert } from "../../components/ErrorAlert.tsx";
import { TableSkeleton } from "../../components/Loading.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { RunsTable } from "./RunsTable.tsx";

export function SyncActivityScreen() {
  const runs = useRuns();
  const items = runs.data?.pages.flatMap((page) => page.items) ?? [];
  const crmName = useWorkspaceCrm().displayName;
  return (
    <Stack gap="sm">
      <PageHeader title="Sync activity" description="Every sync run, newest first. Open a run to read its errors and how to resolve them." />
      {runs.isError && <ErrorAlert error={runs.error} title="The sync runs could not be loaded" onRetry={() => void runs.refetch()} />}
      {runs.isPending ? (
        <TableSkeleton />
      ) : items.length === 0 && !runs.isError ? (
        <EmptyState icon={<IconActivity size={24} />} title="No sync runs yet">
          Runs appear here once {crmName} Sync is on, fields are imported or a customer is linked by hand.
        </EmptyState>
      ) : (
        <Paper withBorder radius="md">
          <RunsTable runs={items} />
        </Paper>
      )}
      {runs.hasNextPage && (
        <Group justify="center">
          <Button variant="default" onClick={() => void runs.fetchNextPage()} loading={runs.isFetchingNextPage}>
            Load older runs
          </Button>
        </Group>
      )}
    </Stack>
  );
}
