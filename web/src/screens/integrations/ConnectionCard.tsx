import { Alert, Badge, Button, Code, Divider, Group, Paper, PasswordInput, SegmentedControl, Stack, Text, Title } from "@mantine/core";
import { modals } from "@mantine/modals";
import { notifications } from "@mantine/notifications";
import { IconPlugConnected } from "@tabler/icons-react";
import { useState, type FormEvent } from "react";
import { errorMessage } from "../../api/client.ts";
import { useConnectKey, useDisconnect, useStartOauth, type KeyKind } from "../../api/hubspot.ts";
import type { HubSpotConnection } from "../../api/types.ts";
import { formatDateTime } from "../../components/format.ts";

const statusBadge: Record<HubSpotConnection["status"], { color: string; label: string }> = {
  connected: { color: "green", label: "Connected" },
  disconnected: { color: "red", label: "Disconnected" },
  not_connected: { color: "gray", label: "Not connected" },
};

const authKindLabel: Record<NonNullable<HubSpotConnection["authKind"]>, string> = {
  oauth: "OAuth",
  service_key: "service key",
  private_app: "private-app token",
};

/** Where HubSpot makes each kind of key, and the scopes crmsync needs (product spec §2). */
const keyHelp: Record<KeyKind, { label: string; description: string; placeholder: string }> = {
  service_key: {
    label: "Service key",
    description:
      "Create one in HubSpot under Development › Keys › Service keys (some HubSpot pages say Settings › Integrations › Service Keys). Grant the read scopes for companies, deals, contacts, schemas and lists; add contacts write only for two-way contact sync.",
    placeholder: "Paste the service key",
  },
  private_app: {
    label: "Private-app access token",
    description: "An existing legacy private app's token (HubSpot no longer creates new ones); it needs the same scopes as a service key.",
    placeholder: "pat-…",
  },
};

function ConnectForm({ admin }: { admin: boolean }) {
  const oauth = useStartOauth();
  const connectKey = useConnectKey();
  const [kind, setKind] = useState<KeyKind>("service_key");
  const [token, setToken] = useState("");
  const help = keyHelp[kind];
  const startOauth = () => oauth.mutate(undefined, { onSuccess: ({ authorizeUrl }) => window.location.assign(authorizeUrl) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    connectKey.mutate({ kind, token: token.trim() }, {
      onSuccess: () => {
        setToken("");
        notifications.show({ color: "green", title: "HubSpot connected", message: "Turn on HubSpot Sync on the Customers page to start syncing." });
      },
    });
  };
  const error = oauth.error ?? connectKey.error;
  return (
    <Stack gap="sm">
      {error && (
        <Alert color="red" variant="light" role="alert">
          {errorMessage(error)}
        </Alert>
      )}
      <Group>
        <Button leftSection={<IconPlugConnected size={16} aria-hidden />} color="orange" onClick={startOauth} loading={oauth.isPending} disabled={!admin}>
          Connect with HubSpot
        </Button>
        <Text size="sm" c="dimmed">
          Opens HubSpot to approve access, then comes back here.
        </Text>
      </Group>
      <Divider label="or paste a key" labelPosition="left" />
      <SegmentedControl
        aria-label="Kind of key"
        value={kind}
        onChange={(value) => setKind(value as KeyKind)}
        data={[
          { value: "service_key", label: "Service key" },
          { value: "private_app", label: "Legacy private-app token" },
        ]}
        disabled={!admin}
        w="fit-content"
      />
      <form onSubmit={submit} aria-label={`Connect with a ${authKindLabel[kind]}`}>
        <Group align="flex-end">
          <PasswordInput
            label={help.label}
            description={help.description}
            placeholder={help.placeholder}
            value={token}
            onChange={(e) => setToken(e.currentTarget.value)}
            w={520}
            disabled={!admin}
          />
          <Button type="submit" variant="default" disabled={!admin || token.trim() === ""} loading={connectKey.isPending}>
            Connect
          </Button>
        </Group>
      </form>
    </Stack>
  );
}

export function ConnectionCard({ connection, admin }: { connection: HubSpotConnection; admin: boolean }) {
  const disconnect = useDisconnect();
  const badge = statusBadge[connection.status];
  const confirmDisconnect = () =>
    modals.openConfirmModal({
      title: "Disconnect HubSpot?",
      children: (
        <Text size="sm">
          crmsync stops every sync and revokes its access. Imported fields and values stay as ordinary data; nothing is deleted in HubSpot.
        </Text>
      ),
      labels: { confirm: "Disconnect", cancel: "Cancel" },
      confirmProps: { color: "red" },
      onConfirm: () =>
        disconnect.mutate(undefined, {
          onSuccess: () => notifications.show({ color: "gray", title: "HubSpot disconnected", message: "Syncing stopped; your data is kept." }),
          onError: (error) => notifications.show({ color: "red", title: "HubSpot was not disconnected", message: errorMessage(error) }),
        }),
    });

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label="HubSpot connection">
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
        <Alert color="red" variant="light" mb="sm" title="HubSpot no longer accepts crmsync's access">
          {connection.statusReason ?? "The grant was revoked or expired."} Syncing is paused; links and values are kept. Reconnect below to resume with the same settings.
        </Alert>
      )}
      {connection.status === "connected" ? (
        <Stack gap={4}>
          <Text size="sm">
            Portal <b>{connection.portalId}</b> · {connection.authKind === null ? "" : authKindLabel[connection.authKind]} · connected {formatDateTime(connection.connectedAt)}
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
        <ConnectForm admin={admin} />
      )}
    </Paper>
  );
}
