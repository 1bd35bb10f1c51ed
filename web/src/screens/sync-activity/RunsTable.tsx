import { Anchor, Group, Table, Text } from "@mantine/core";
import { Link } from "react-router";
import type { SyncRun } from "../../api/types.ts";
import { formatDateTime, formatDuration, formatNumber } from "../../components/format.ts";
import { paths } from "../../paths.ts";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { kindLabels, triggerLabel } from "./runLabels.ts";
import { RunStatusBadge } from "./RunStatusBadge.tsx";

const counterNames = ["read", "linked", "updated", "created", "skipped"] as const;

/** The non-zero counters in one line: a run touches few of them, and six mostly-zero columns hide that. */
function countersText(run: SyncRun): string {
  const parts = counterNames.filter((name) => run.counters[name] > 0).map((name) => `${formatNumber(run.counters[name])} ${name}`);
  return parts.length ? parts.join(" · ") : "nothing to do";
}

export function RunsTable({ runs }: { runs: SyncRun[] }) {
  const crmName = useWorkspaceCrm().displayName;
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table striped highlightOnHover verticalSpacing="xs" aria-label="Sync runs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Started</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Trigger</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Records</Table.Th>
            <Table.Th ta="right">Failed</Table.Th>
            <Table.Th ta="right" className="nowrap">
              CRM calls
            </Table.Th>
            <Table.Th>Duration</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {runs.map((run) => (
            <Table.Tr key={run.id}>
              <Table.Td className="nowrap">
                <Anchor component={Link} to={paths.run(run.id)} size="sm" aria-label={`Open ${kindLabels[run.kind]} run of ${formatDateTime(run.startedAt ?? run.createdAt)}`}>
                  {formatDateTime(run.startedAt ?? run.createdAt)}
                </Anchor>
              </Table.Td>
              <Table.Td className="nowrap">{kindLabels[run.kind]}</Table.Td>
              <Table.Td className="nowrap">{triggerLabel(run.trigger, crmName)}</Table.Td>
              <Table.Td className="nowrap">
                <RunStatusBadge status={run.status} />
              </Table.Td>
              <Table.Td>
                <Text size="sm" c="dimmed">
                  {countersText(run)}
                </Text>
              </Table.Td>
              <Table.Td ta="right">
                <Text span size="sm" c={run.counters.failed > 0 ? "red" : "inherit"} fw={run.counters.failed > 0 ? 600 : 400}>
                  {formatNumber(run.counters.failed)}
                </Text>
              </Table.Td>
              <Table.Td ta="right">{formatNumber(run.crmCalls.total)}</Table.Td>
              <Table.Td className="nowrap">
                <Group gap={4} wrap="nowrap">
                  {formatDuration(run.startedAt, run.finishedAt)}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
