import { Group, Paper, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import type { SyncRunDetail } from "../../api/types.ts";
import { formatDateTime, formatDuration, formatNumber } from "../../components/format.ts";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { kindLabels, triggerLabel } from "./runLabels.ts";
import { RunPauseNote } from "./RunPauseNote.tsx";
import { RunStatusBadge } from "./RunStatusBadge.tsx";

const counters = [
  ["read", "Read"],
  ["linked", "Linked"],
  ["updated", "Updated"],
  ["created", "Created"],
  ["skipped", "Skipped"],
  ["failed", "Failed"],
] as const;

function Stat({ label, value, danger = false }: { label: string; value: number; danger?: boolean }) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700} c={danger && value > 0 ? "red" : "inherit"} aria-label={`${label}: ${value}`}>
        {formatNumber(value)}
      </Text>
    </Paper>
  );
}

export function RunSummary({ run }: { run: SyncRunDetail }) {
  const endpoints = Object.entries(run.crmCalls.byEndpoint).sort((a, b) => b[1] - a[1]);
  const crmName = useWorkspaceCrm().displayName;
  return (
    <Stack gap="md">
      <Group gap="lg">
        <RunStatusBadge status={run.status} />
        <Text size="sm">
          <b>{kindLabels[run.kind]}</b> · {triggerLabel(run.trigger, crmName)}
        </Text>
        <Text size="sm" c="dimmed">
          Queued {formatDateTime(run.createdAt)} · started {formatDateTime(run.startedAt)} · {run.finishedAt ? `finished ${formatDateTime(run.finishedAt)}` : "not finished"} ·{" "}
          {formatDuration(run.startedAt, run.finishedAt)}
        </Text>
      </Group>
      {run.pause ? (
        <RunPauseNote run={run} />
      ) : (
        run.message && (
          <Text size="sm" c={run.status === "failed" ? "red" : "inherit"}>
            {run.message}
          </Text>
        )
      )}
      <SimpleGrid cols={{ base: 2, sm: 3, md: 7 }} aria-label="Counters" aria-live={run.status === "running" ? "polite" : undefined}>
        {counters.map(([key, label]) => (
          <Stat key={key} label={label} value={run.counters[key]} danger={key === "failed"} />
        ))}
        <Stat label="CRM calls" value={run.crmCalls.total} />
      </SimpleGrid>
      {endpoints.length > 0 && (
        <Paper withBorder p="sm" radius="md">
          <Title order={5} mb="xs">
            CRM calls by endpoint
          </Title>
          <Table withRowBorders={false} verticalSpacing={2} aria-label="CRM calls by endpoint">
            <Table.Tbody>
              {endpoints.map(([endpoint, n]) => (
                <Table.Tr key={endpoint}>
                  <Table.Td>
                    <code>{endpoint}</code>
                  </Table.Td>
                  <Table.Td ta="right">{formatNumber(n)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
    </Stack>
  );
}
