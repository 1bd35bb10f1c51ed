import { Alert, Anchor, Group, Loader, Text } from "@mantine/core";
import { IconRefresh } from "@tabler/icons-react";
import { Link } from "react-router";
import { useContactSyncWithRefresh } from "../../api/contact-sync.ts";
import { isActive } from "../../api/sync-runs.ts";
import { formatDateTime, formatRelative } from "../../components/format.ts";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { paths } from "../../paths.ts";
import { statusLabels } from "../sync-activity/runLabels.ts";

const modeText = (crmName: string) => ({ inbound: `inbound from ${crmName}, every 24 hours`, two_way: `two-way with ${crmName}` });

/** When contacts were last synced, above the list; nothing while contact sync is off. */
export function ContactSyncBanner() {
  const settings = useContactSyncWithRefresh().data;
  const crmName = useWorkspaceCrm().displayName;
  if (!settings || settings.mode === "off") return null;
  const active = isActive(settings.activeRun) ? settings.activeRun : null;
  const last = settings.lastRun;
  const shown = active ?? last;
  return (
    <Alert color="orange" variant="light" icon={active ? <Loader size={16} color="orange" aria-hidden /> : <IconRefresh aria-hidden />} role="status" aria-label="Last synced" p="xs">
      <Group gap={6} wrap="wrap">
        <Text size="sm">
          Contact sync is <b>{modeText(crmName)[settings.mode]}</b>
          {settings.paused ? " (paused)" : ""}.
        </Text>
        {active ? (
          <Text size="sm">Syncing now…</Text>
        ) : last?.finishedAt ? (
          <Text size="sm">
            Last synced <span title={formatDateTime(last.finishedAt)}>{formatRelative(last.finishedAt)}</span>
            {last.status !== "succeeded" ? ` (${statusLabels[last.status].toLowerCase()})` : ""}.
          </Text>
        ) : (
          <Text size="sm">Not synced yet.</Text>
        )}
        {shown && (
          <Anchor component={Link} to={paths.run(shown.id)} size="sm">
            View run
          </Anchor>
        )}
        <Text size="sm" c="dimmed" aria-hidden>
          ·
        </Text>
        <Anchor component={Link} to={paths.integrations} size="sm">
          Contact sync settings
        </Anchor>
      </Group>
    </Alert>
  );
}
