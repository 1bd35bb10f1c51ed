import { Anchor, Badge, Group, Stack, Table, Text, Title } from "@mantine/core";
import { Link } from "react-router";
import { useRecentContactRuns } from "../../api/contact-sync.ts";
import { useRunErrors } from "../../api/sync-runs.ts";
import type { SyncRun } from "../../api/types.ts";
import { ErrorAlert } from "../../components/ErrorAlert.tsx";
import { formatDateTime, formatNumber } from "../../components/format.ts";
import { TableSkeleton } from "../../components/Loading.tsx";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { paths } from "../../paths.ts";
import { RunStatusBadge } from "../sync-activity/RunStatusBadge.tsx";
import { kindLabels, triggerLabel } from "../sync-activity/runLabels.ts";

const shownErrors = 3;

function countersText(run: SyncRun): string {
  const { read, created, updated, linked, skipped, failed } = run.counters;
  const parts = Object.entries({ read, created, updated, linked, skipped, failed })
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${formatNumber(n)} ${name}`);
  return parts.join(" · ") || "nothing to do";
}

/** The first few errors of a run, so the admin sees what went wrong without leaving settings. */
function LatestErrors({ run }: { run: SyncRun }) {
  const errors = useRunErrors(run.id, false);
  const items = errors.data?.pages[0]?.items.slice(0, shownErrors) ?? [];
  if (items.length === 0) return null;
  return (
    <Stack gap={4} aria-label="Errors of the last run with errors">
      <Text size="sm" fw={500}>
        Errors of the {kindLabels[run.kind].toLowerCase()} run of {formatDateTime(run.startedAt ?? run.createdAt)}
      </Text>
      {items.map((error) => (
        <Group key={error.id} gap="xs" wrap="nowrap" align="flex-start">
          <Badge color="red" variant="light" tt="none" style={{ flex: "none" }}>
            {error.code}
          </Badge>
          <Text size="xs">{error.message}</Text>
        </Group>
      ))}
      <Anchor component={Link} to={paths.run(run.id)} size="xs">
        All errors and how to resolve them
      </Anchor>
    </Stack>
  );
}

export function RecentContactRuns({ live }: { live: boolean }) {
  const recent = useRecentContactRuns(5, live);
  const crmName = useWorkspaceCrm().displayName;
  const withErrors = recent.runs.find((run) => run.status === "partial" || run.status === "failed");
  return (
    <Stack gap="xs" component="section" aria-label="Recent runs">
      <Group justify="space-between">
        <Title order={5}>Recent runs</Title>
        <Anchor component={Link} to={paths.syncActivity} size="sm">
          All runs in Sync activity
        </Anchor>
      </Group>
      {recent.error ? (
        <ErrorAlert error={recent.error} title="The runs could not be loaded" onRetry={recent.refetch} />
      ) : recent.isPending ? (
        <TableSkeleton rows={2} />
      ) : recent.runs.length === 0 ? (
        <Text size="sm" c="dimmed">
          No contact sync runs yet.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing={4} aria-label="Contact sync runs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Started</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Records</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {recent.runs.map((run) => (
                <Table.Tr key={run.id}>
                  <Table.Td className="nowrap">
                    <Anchor component={Link} to={paths.run(run.id)} size="sm">
                      {formatDateTime(run.startedAt ?? run.createdAt)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td className="nowrap">
                    <Text size="sm">
                      {kindLabels[run.kind]}{" "}
                      <Text span size="xs" c="dimmed">
                        ({triggerLabel(run.trigger, crmName)})
                      </Text>
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <RunStatusBadge status={run.status} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      {countersText(run)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {withErrors && <LatestErrors run={withErrors} />}
    </Stack>
  );
}
