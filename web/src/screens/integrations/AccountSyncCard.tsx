import { Anchor, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { Link } from "react-router";
import { useAccountSync } from "../../api/hubspot.ts";
import { formatDateTime } from "../../components/format.ts";
import { paths } from "../../paths.ts";
import { HubSpotSyncToggle } from "../customers/HubSpotSyncToggle.tsx";
import { RunStatusBadge } from "../sync-activity/RunStatusBadge.tsx";

export function AccountSyncCard() {
  const state = useAccountSync().data;
  const run = state?.activeRun ?? state?.lastRun ?? null;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label="Account sync">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={4}>Account sync</Title>
          <Text size="sm" c="dimmed" maw={560}>
            HubSpot companies and deals into customers, every 30 minutes while on. Customers are linked by domain; imported fields take their values from the linked company or deal.
          </Text>
          {state?.changedAt && (
            <Text size="xs" c="dimmed">
              Turned {state.enabled ? "on" : "off"} {formatDateTime(state.changedAt)}
            </Text>
          )}
          {run && (
            <Group gap="xs">
              <Text size="sm">{state?.activeRun ? "Current run:" : "Last run:"}</Text>
              <RunStatusBadge status={run.status} />
              <Anchor component={Link} to={paths.run(run.id)} size="sm">
                {formatDateTime(run.startedAt ?? run.createdAt)}
              </Anchor>
            </Group>
          )}
        </Stack>
        <HubSpotSyncToggle />
      </Group>
    </Paper>
  );
}
