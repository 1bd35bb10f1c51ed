import { Alert, Badge, Button, Code, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { modals } from "@mantine/modals";
import { notifications } from "@mantine/notifications";
import { errorMessage } from "../../api/client.ts";
import { useDisconnect } from "../../api/crm.ts";
import type { CrmConnection } from "../../api/types.ts";
import { formatDateTime } from "../../components/format.ts";
import { capitalized, crmWording, tokenKindHelp } from "../../crm/wording.ts";
import { ConnectForm } from "./ConnectForm.tsx";

const statusBadge: Record<CrmConnection["status"], { color: string; label: string }> = {
  connected: { color: "green", label: "Connected" },
  disconnected: { color: "red", label: "Disconnected" },
  not_connected: { color: "gray", label: "Not connected" },
};

/** How the connection was made, in words: OAuth, or the kind of pasted key. */
function authKindText(connection: CrmConnection): string {
  if (connection.authKind === null) return "";
  return connection.authKind === "oauth" ? "OAuth" : tokenKindHelp(crmWording(connection.provider), connection.authKind).name;
}

export function ConnectionCard({ connection, admin }: { connection: CrmConnection; admin: boolean }) {
  const disconnect = useDisconnect(connection.provider);
  const badge = statusBadge[connection.status];
  const name = connection.displayName;
  const confirmDisconnect = () =>
    modals.openConfirmModal({
      title: `Disconnect ${name}?`,
      children: (
        <Text size="sm">
          crmsync stops every sync and revokes its access. Imported fields and values stay as ordinary data; nothing is deleted in {name}.
        </Text>
      ),
      labels: { confirm: "Disconnect", cancel: "Cancel" },
      confirmProps: { color: "red" },
      onConfirm: () =>
        disconnect.mutate(undefined, {
          onSuccess: () => notifications.show({ color: "gray", title: `${name} disconnected`, message: "Syncing stopped; your data is kept." }),
          onError: (error) => notifications.show({ color: "red", title: `${name} was not disconnected`, message: errorMessage(error) }),
        }),
    });

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={`${name} connection`}>
      <Group justify="space-between" mb="sm">
        <Group gap="sm">
          <Title order={4}>Connection</Title>
          <Badge color={badge.color} variant="light">
            {badge.label}
          </Badge>
        </Group>
        {connection.status !== "not_connected" && (
          <Button variant="subtle" color="red" onClick={confirmDisconnect} loading={disconnect.isPending} disabled={!admin}>
            Disconnect
          </Button>
        )}
      </Group>
      {connection.status === "disconnected" && (
        <Alert color="red" variant="light" mb="sm" title={`${name} no longer accepts crmsync's access`}>
          {connection.statusReason ?? "The grant was revoked or expired."} Syncing is paused; links and values are kept. Reconnect below to resume with the same settings.
        </Alert>
      )}
      {connection.status === "connected" ? (
        <Stack gap={4}>
          <Text size="sm">
            {capitalized(crmWording(connection.provider).account)} <b>{connection.portalId}</b> · {authKindText(connection)} · connected {formatDateTime(connection.connectedAt)}
          </Text>
          {connection.scopes.length > 0 && (
            <Group gap={4} wrap="wrap" aria-label="Granted scopes">
              <Text size="xs" c="dimmed">
                Scopes:
              </Text>
              {connection.scopes.map((scope) => (
                <Code key={scope}>{scope}</Code>
              ))}
            </Group>
          )}
        </Stack>
      ) : (
        <ConnectForm connection={connection} admin={admin} />
      )}
    </Paper>
  );
}
