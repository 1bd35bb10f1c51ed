import { Anchor, Group, Loader, Switch, Text, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { Link } from "react-router";
import { errorMessage } from "../../api/client.ts";
import { useAccountSyncWithRefresh, useSetAccountSync } from "../../api/account-sync.ts";
import { useConnection } from "../../api/crm.ts";
import { useSession } from "../../api/session.ts";
import { isActive } from "../../api/sync-runs.ts";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { paths } from "../../paths.ts";

/** Why the toggle cannot be used right now, or null when it can. */
function blocker(name: string, available: boolean, connected: boolean, admin: boolean): string | null {
  if (!available) return `${name} Sync is not available on this server yet.`;
  if (!connected) return `Connect ${name} in Integrations first.`;
  if (!admin) return `Only admins can turn ${name} Sync on or off.`;
  return null;
}

/** The "<CRM> Sync" switch (product spec §3): account sync on or off for the workspace. */
export function CrmSyncToggle() {
  const connection = useConnection();
  const name = useWorkspaceCrm().displayName;
  const accountSync = useAccountSyncWithRefresh();
  const setEnabled = useSetAccountSync();
  const admin = useSession().data?.role === "admin";
  const state = accountSync.data;
  const reason = blocker(name, state !== null && connection.data !== null, connection.data?.status === "connected", admin);
  const running = state?.activeRun && isActive(state.activeRun) ? state.activeRun : null;

  const toggle = (enabled: boolean) =>
    setEnabled.mutate(enabled, {
      onSuccess: () =>
        notifications.show({
          color: enabled ? "green" : "gray",
          title: enabled ? `${name} Sync is on` : `${name} Sync is off`,
          message: enabled ? `A full sync started; customers are linked and their ${name} values imported.` : "No more runs; links and synced values are kept.",
        }),
      onError: (error) => notifications.show({ color: "red", title: `${name} Sync was not changed`, message: errorMessage(error) }),
    });

  const control = (
    <Switch
      label={`${name} Sync`}
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
