import { Alert, Anchor, Badge, Group, Text } from "@mantine/core";
import { Link } from "react-router";
import type { ContactSyncSettings } from "../../api/types.ts";
import { formatDateTime } from "../../components/format.ts";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { paths } from "../../paths.ts";
import { RunPauseNote } from "../sync-activity/RunPauseNote.tsx";
import { RunStatusBadge } from "../sync-activity/RunStatusBadge.tsx";
import { kindLabels } from "../sync-activity/runLabels.ts";
import { modeLabels } from "./ModeField.tsx";

export function ContactSyncBadges({ settings }: { settings: ContactSyncSettings }) {
  return (
    <Group gap={6}>
      <Badge color={settings.mode === "off" ? "gray" : "green"} variant="light" tt="none">
        {modeLabels[settings.mode]}
      </Badge>
      {settings.mode !== "off" && settings.paused && (
        <Badge color="yellow" variant="light" tt="none">
          Paused
        </Badge>
      )}
      {settings.needsConfirmation && (
        <Badge color="orange" variant="light" tt="none">
          Awaiting confirmation
        </Badge>
      )}
    </Group>
  );
}

/** The run under way or the last one, and a broken source that stops every run until fixed. */
export function ContactSyncStatus({ settings }: { settings: ContactSyncSettings }) {
  const run = settings.activeRun ?? settings.lastRun;
  const error = settings.sourceError;
  const crm = useWorkspaceCrm();
  return (
    <>
      {run && (
        <Group gap="xs" aria-label="Contact sync run">
          <Text size="sm">{settings.activeRun ? "Current run:" : "Last run:"}</Text>
          <RunStatusBadge status={run.status} />
          <Anchor component={Link} to={paths.run(run.id)} size="sm">
            {kindLabels[run.kind]} · {formatDateTime(run.startedAt ?? run.createdAt)}
          </Anchor>
          {run.message && !settings.activeRun && (
            <Text size="xs" c="dimmed">
              {run.message}
            </Text>
          )}
        </Group>
      )}
      {run && <RunPauseNote run={run} />}
      {error && settings.source.kind === "list" && settings.source.listId === error.listId && (
        <Alert color="red" variant="light" title={`The ${crm.displayName} ${crm.wording.contactList} no longer exists`} role="alert">
          List {error.listId} was not found in {crm.displayName} ({formatDateTime(error.at)}): contact sync is stopped until you choose another list below.
        </Alert>
      )}
    </>
  );
}
