import { Alert, Button, Group, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconEye, IconShieldCheck } from "@tabler/icons-react";
import { useConfirmContactSync, usePreviewContactSync } from "../../api/contact-sync.ts";
import type { ContactSyncSettings } from "../../api/types.ts";
import { formatDateTime } from "../../components/format.ts";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { ContactSyncErrorAlert } from "./ContactSyncErrorAlert.tsx";
import { ReconcilePreview } from "./ReconcilePreview.tsx";

interface Props {
  settings: ContactSyncSettings;
  admin: boolean;
  /** The form has unsaved changes; the preview would show the saved settings, not those. */
  dirty: boolean;
}

/** Two-way writes nothing to the CRM until an admin has read a dry run and confirmed it (spec §4.4). */
export function TwoWayConfirmation({ settings, admin, dirty }: Props) {
  const preview = usePreviewContactSync();
  const confirm = useConfirmContactSync();
  const crmName = useWorkspaceCrm().displayName;
  const shown = preview.data;
  const runPreview = () => {
    confirm.reset();
    preview.mutate();
  };
  // Confirming unmounts this panel (the settings no longer need confirmation), so the outcome is
  // taken from the promise: per-call callbacks of an unmounted mutation never run.
  const start = () =>
    confirm.mutateAsync().then(
      (next) => notifications.show({ color: "green", title: "Two-way contact sync confirmed", message: next.paused ? "It starts when you resume it." : "The first reconcile has started." }),
      () => undefined,
    );
  return (
    <Alert color="yellow" variant="light" title="Two-way sync is waiting for your confirmation" icon={<IconShieldCheck aria-hidden />} role="region">
      <Stack gap="sm">
        <Text size="sm">
          Nothing has been written to {crmName} yet. Preview what the first reconcile would create and update — a dry run that reads only — then confirm it to start two-way sync.
        </Text>
        {preview.isError && <ContactSyncErrorAlert error={preview.error} title="The preview could not be made" />}
        {confirm.isError && <ContactSyncErrorAlert error={confirm.error} title="Two-way sync was not confirmed" />}
        {shown && (
          <>
            <Text size="xs" c="dimmed">
              Previewed {formatDateTime(shown.previewedAt)}
            </Text>
            <ReconcilePreview preview={shown} maxWritesPerRun={settings.maxWritesPerRun} />
          </>
        )}
        <Group gap="sm">
          <Button variant={shown ? "default" : "filled"} leftSection={<IconEye size={16} aria-hidden />} onClick={runPreview} loading={preview.isPending} disabled={!admin || dirty}>
            {shown ? "Preview again" : "Preview first reconcile"}
          </Button>
          {shown && (
            <Button color="orange" onClick={() => void start()} loading={confirm.isPending} disabled={!admin || dirty || shown.stoppedBy !== null}>
              Confirm and start two-way sync
            </Button>
          )}
          {dirty && (
            <Text size="xs" c="dimmed">
              Save or discard your changes first: the preview uses the saved settings.
            </Text>
          )}
        </Group>
      </Stack>
    </Alert>
  );
}
