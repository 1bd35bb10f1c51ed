import { Button, Group } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconPlayerPause, IconPlayerPlay } from "@tabler/icons-react";
import { errorMessage } from "../../api/client.ts";
import { useRunContactSync, useSaveContactSync } from "../../api/contact-sync.ts";
import type { ContactSyncSettings } from "../../api/types.ts";

/** Why Run now cannot go, or null when it can; the server refuses the same cases. */
function runBlocker(settings: ContactSyncSettings): string | null {
  if (settings.mode === "off") return "Choose a mode and save first.";
  if (settings.paused) return "Resume contact sync first.";
  if (settings.needsConfirmation) return "Preview and confirm the first reconcile first.";
  return null;
}

export function ContactSyncActions({ settings, admin }: { settings: ContactSyncSettings; admin: boolean }) {
  const run = useRunContactSync();
  const save = useSaveContactSync();
  const blocker = runBlocker(settings);
  const runNow = () =>
    run.mutate(undefined, {
      onSuccess: ({ kind, coalesced }) =>
        notifications.show({
          color: "blue",
          title: kind === "reconcile" ? "Reconcile queued" : "Contact sync queued",
          message: coalesced ? "A run is already under way; one more follows it." : "Its progress shows below and in Sync activity.",
        }),
      onError: (error) => notifications.show({ color: "red", title: "Contact sync did not start", message: errorMessage(error) }),
    });
  const setPaused = (paused: boolean) =>
    save.mutate(
      { paused },
      {
        onSuccess: () => notifications.show({ color: "gray", title: paused ? "Contact sync paused" : "Contact sync resumed", message: paused ? "No run starts until you resume it." : "Runs go on as scheduled." }),
        onError: (error) => notifications.show({ color: "red", title: paused ? "Contact sync was not paused" : "Contact sync was not resumed", message: errorMessage(error) }),
      },
    );
  return (
    <Group gap="xs">
      {settings.mode !== "off" &&
        (settings.paused ? (
          <Button variant="default" size="xs" leftSection={<IconPlayerPlay size={14} aria-hidden />} onClick={() => setPaused(false)} loading={save.isPending} disabled={!admin}>
            Resume
          </Button>
        ) : (
          <Button variant="default" size="xs" leftSection={<IconPlayerPause size={14} aria-hidden />} onClick={() => setPaused(true)} loading={save.isPending} disabled={!admin}>
            Pause
          </Button>
        ))}
      <Button size="xs" leftSection={<IconPlayerPlay size={14} aria-hidden />} onClick={runNow} loading={run.isPending} disabled={!admin || blocker !== null} title={blocker ?? undefined}>
        Run now
      </Button>
    </Group>
  );
}
