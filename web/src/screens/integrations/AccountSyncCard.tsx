import { Anchor, Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconPlayerPlay } from "@tabler/icons-react";
import { Link } from "react-router";
import { errorMessage } from "../../api/client.ts";
import { useAccountSync, useRunAccountSync } from "../../api/account-sync.ts";
import { formatDateTime } from "../../components/format.ts";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { paths } from "../../paths.ts";
import { CrmSyncToggle } from "../customers/CrmSyncToggle.tsx";
import { RunPauseNote } from "../sync-activity/RunPauseNote.tsx";
import { RunStatusBadge } from "../sync-activity/RunStatusBadge.tsx";

export function AccountSyncCard({ admin, name }: { admin: boolean; name: string }) {
  const state = useAccountSync().data;
  const runNow = useRunAccountSync();
  const { company, deal } = useWorkspaceCrm().wording;
  const start = () =>
    runNow.mutate(undefined, {
      onSuccess: ({ coalesced }) =>
        notifications.show({ color: "blue", title: "Account sync queued", message: coalesced ? "A run is already under way; one more follows it." : "Follow it in Sync activity." }),
      onError: (error) => notifications.show({ color: "red", title: "Account sync did not start", message: errorMessage(error) }),
    });
  const run = state?.activeRun ?? state?.lastRun ?? null;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label="Account sync">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={4}>Account sync</Title>
          <Text size="sm" c="dimmed" maw={560}>
            {name} {company.many} and {deal.many} into customers, every 30 minutes while on. Customers are linked by domain; imported fields take their values from the linked {company.one} or {deal.one}.
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
          {run && <RunPauseNote run={run} />}
        </Stack>
        <Stack align="flex-end" gap="sm">
          <CrmSyncToggle />
          <Button variant="default" size="xs" leftSection={<IconPlayerPlay size={14} aria-hidden />} onClick={start} loading={runNow.isPending} disabled={!admin || !state?.enabled}>
            Run now
          </Button>
        </Stack>
      </Group>
    </Paper>
  );
}
