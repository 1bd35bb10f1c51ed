import { Anchor, Table, Text } from "@mantine/core";
import { Link } from "react-router";
import type { SyncRun } from "../../api/types.ts";
import { formatDateTime, formatDuration, formatNumber } from "../../components/format.ts";
import { paths } from "../../paths.ts";
import { kindLabels, triggerLabels } from "./runLabels.ts";
import { RunStatusBadge } from "./RunStatusBadge.tsx";

export function RunsTable({ runs }: { runs: SyncRun[] }) {
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table striped highlightOnHover verticalSpacing="xs" aria-label="Sync runs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Started</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Trigger</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th ta="right">Read</Table.Th>
            <Table.Th ta="right">Linked</Table.Th>
            <Table.Th ta="right">Updated</Table.Th>
            <Table.Th ta="right">Created</Table.Th>
            <Table.Th ta="right">Skipped</Table.Th>
            <Table.Th ta="right">Failed</Table.Th>
            <Table.Th ta="right">CRM calls</Table.Th>
            <Table.Th>Duration</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {runs.map((run) => (
            <Table.Tr key={run.id}>
              <Table.Td className="nowrap">
                <Anchor component={Link} to={paths.run(run.id)} aria-label={`Open ${kindLabels[run.kind]} run of ${formatDateTime(run.startedAt ?? run.createdAt)}`}>
                  {formatDateTime(run.startedAt ?? run.createdAt)}
                </Anchor>
              </Table.Td>
              <Table.Td className="nowrap">{kindLabels[run.kind]}</Table.Td>
              <Table.Td className="nowrap">{triggerLabels[run.trigger]}</Table.Td>
              <Table.Td>
                <RunStatusBadge status={run.status} />
              </Table.Td>
              <Table.Td ta="right">{formatNumber(run.counters.read)}</Table.Td>
              <Table.Td ta="right">{formatNumber(run.counters.linked)}</Table.Td>
              <Table.Td ta="right">{formatNumber(run.counters.updated)}</Table.Td>
              <Table.Td ta="right">{formatNumber(run.counters.created)}</Table.Td>
              <Table.Td ta="right">{formatNumber(run.counters.skipped)}</Table.Td>
              <Table.Td ta="right">
                <Text span size="sm" c={run.counters.failed > 0 ? "red" : "inherit"} fw={run.counters.failed > 0 ? 600 : 400}>
                  {formatNumber(run.counters.failed)}
                </Text>
              </Table.Td>
              <Table.Td ta="right">{formatNumber(run.crmCalls.total)}</Table.Td>
              <Table.Td className="nowrap">{formatDuration(run.startedAt, run.finishedAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
