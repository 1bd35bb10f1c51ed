import { Anchor, Group, Loader, Switch, Text, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { Link } from "react-router";
import { errorMessage } from "../../api/client.ts";
import { useAccountSyncWithRefresh, useConnection, useSetAccountSync } from "../../api/hubspot.ts";
import { useSession } from "../../api/session.ts";
import { isActive } from "../../api/sync-runs.ts";
import { paths } from "../../paths.ts";

/** Why the toggle cannot be used right now, or null when it can. */
function blocker(available: boolean, connected: boolean, admin: boolean): string | null {
  if (!available) return "HubSpot Sync is not available on this server yet.";
  if (!connected) return "Connect HubSpot in Integrations first.";
  if (!admin) return "Only admins can turn HubSpot Sync on or off.";
  return null;
}

/** The HubSpot Sync switch (product spec §3): account sync on or off for the workspace. */
export function HubSpotSyncToggle() {
  const connection = useConnection();
  const accountSync = useAccountSyncWithRefresh();
  const setEnabled = useSetAccountSync();
  const admin = useSession().data?.role === "admin";
  const state = accountSync.data;
  const reason = blocker(state !== null && connection.data !== null, connection.data?.status === "connected", admin);
  const running = state?.activeRun && isActive(state.activeRun) ? state.activeRun : null;

  const toggle = (enabled: boolean) =>
    setEnabled.mutate(enabled, {
      onSuccess: () =>
        notifications.show({
          color: enabled ? "green" : "gray",
          title: enabled ? "HubSpot Sync is on" : "HubSpot Sync is off",
          message: enabled ? "A full sync started; customers are linked and their HubSpot values imported." : "No more runs; links and synced values are kept.",
        }),
      onError: (error) => notifications.show({ color: "red", title: "HubSpot Sync was not changed", message: errorMessage(error) }),
    });

  const control = (
    <Switch
      label="HubSpot Sync"
      labelPosition="left"
      size="md"
      // Shows the requested position while the request is under way.
      checked={setEnabled.isPending ? setEnabled.variables : (state?.enabled ?? false)}
      disabled={reason !== null || setEnabled.isPending || accountSync.isPending}
      onChange={(event) => toggle(event.currentTarget.checked)}
    />
  );

  return (
    <Group gap="xs" wrap="nowrap">
      {running && (
        <Anchor component={Link} to={paths.run(running.id)} size="sm">
          <Group gap={6} wrap="nowrap">
            <Loader size={14} aria-hidden />
            <Text size="sm" span>
              Syncing…
            </Text>
          </Group>
        </Anchor>
      )}
      {reason ? (
        <Tooltip label={reason}>
          <div>{control}</div>
        </Tooltip>
      ) : (
        control
      )}
    </Group>
  );
}
