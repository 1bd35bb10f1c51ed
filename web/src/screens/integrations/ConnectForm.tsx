import { Alert, Button, Divider, Group, PasswordInput, SegmentedControl, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconPlugConnected } from "@tabler/icons-react";
import { useState, type FormEvent } from "react";
import { errorMessage } from "../../api/client.ts";
import { useConnectKey, useStartOauth } from "../../api/crm.ts";
import type { CrmConnection } from "../../api/types.ts";
import { crmWording, tokenKindHelp } from "../../crm/wording.ts";

/** OAuth, with where to sign in when the CRM has a choice (Salesforce: production or sandbox). */
function OauthStart({ connection, admin }: { connection: CrmConnection; admin: boolean }) {
  const name = connection.displayName;
  const environments = crmWording(connection.provider).oauthEnvironments;
  const [environment, setEnvironment] = useState(environments[0]?.value);
  const oauth = useStartOauth(connection.provider);
  const start = () => oauth.mutate(environment, { onSuccess: ({ authorizeUrl }) => window.location.assign(authorizeUrl) });
  return (
    <Stack gap="sm">
      {oauth.error && (
        <Alert color="red" variant="light" role="alert">
          {errorMessage(oauth.error)}
        </Alert>
      )}
      {environments.length > 1 && environment !== undefined && (
        <SegmentedControl aria-label={`Where to sign in to ${name}`} value={environment} onChange={setEnvironment} data={environments} disabled={!admin} w="fit-content" />
      )}
      <Group>
        <Button leftSection={<IconPlugConnected size={16} aria-hidden />} color="orange" onClick={start} loading={oauth.isPending} disabled={!admin}>
          Connect with {name}
        </Button>
        <Text size="sm" c="dimmed">
          Opens {name} to approve access, then comes back here.
        </Text>
      </Group>
    </Stack>
  );
}

/** A pasted key or token, of one of the kinds the CRM takes (the usual one first). */
function KeyForm({ connection, admin }: { connection: CrmConnection; admin: boolean }) {
  const name = connection.displayName;
  const wording = crmWording(connection.provider);
  const kinds = connection.tokenKinds;
  const connectKey = useConnectKey(connection.provider);
  const [kind, setKind] = useState(kinds[0] ?? "");
  const [token, setToken] = useState("");
  const help = tokenKindHelp(wording, kind);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    connectKey.mutate(
      { kind, token: token.trim() },
      {
        onSuccess: () => {
          setToken("");
          notifications.show({ color: "green", title: `${name} connected`, message: `Turn on ${name} Sync on the Customers page to start syncing.` });
        },
      },
    );
  };
  return (
    <Stack gap="sm">
      {connectKey.error && (
        <Alert color="red" variant="light" role="alert">
          {errorMessage(connectKey.error)}
        </Alert>
      )}
      {kinds.length > 1 && (
        <SegmentedControl
          aria-label="Kind of key"
          value={kind}
          onChange={setKind}
          data={kinds.map((k) => ({ value: k, label: tokenKindHelp(wording, k).choice }))}
          disabled={!admin}
          w="fit-content"
        />
      )}
      <form onSubmit={submit} aria-label={`Connect with a ${help.name}`}>
        <Group align="flex-end">
          <PasswordInput
            label={help.label}
            description={help.description || undefined}
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

/** The ways the CRM connects: OAuth, pasted keys, or both (the connection's authMethods and tokenKinds). */
export function ConnectForm({ connection, admin }: { connection: CrmConnection; admin: boolean }) {
  const oauth = connection.authMethods.includes("oauth");
  const keys = connection.authMethods.includes("token") && connection.tokenKinds.length > 0;
  return (
    <Stack gap="sm">
      {oauth && <OauthStart connection={connection} admin={admin} />}
      {oauth && keys && <Divider label="or paste a key" labelPosition="left" />}
      {keys && <KeyForm connection={connection} admin={admin} />}
    </Stack>
  );
}
