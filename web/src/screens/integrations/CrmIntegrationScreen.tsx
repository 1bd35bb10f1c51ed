import { Alert, Anchor, Stack } from "@mantine/core";
import { IconPlugConnected } from "@tabler/icons-react";
import { Link, useParams, useSearchParams } from "react-router";
import { useAccountSync } from "../../api/account-sync.ts";
import { defaultCrm, useProviderConnection } from "../../api/crm.ts";
import { useSession } from "../../api/session.ts";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorAlert } from "../../components/ErrorAlert.tsx";
import { LoadingBlock } from "../../components/Loading.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { paths } from "../../paths.ts";
import { AccountSyncCard } from "./AccountSyncCard.tsx";
import { ConnectionCard } from "./ConnectionCard.tsx";
import { ContactSyncCard } from "./ContactSyncCard.tsx";
import { CrmProviderList } from "./CrmProviderList.tsx";

/** Why an OAuth callback was refused, by the code the server put in ?error=. */
function oauthRefusal(code: string, name: string): string {
  switch (code) {
    case "oauth_session_mismatch":
      return `The approval came back to a different browser session than the one that started connecting, so crmsync did not accept it. Start connecting again here, and approve it in ${name} in this same browser.`;
    case "oauth_state_invalid":
      return "This approval link expired (after 15 minutes) or was already used. Start connecting again.";
    case "access_denied":
      return `Access was not granted in ${name}.`;
    case "crm_other_connected":
      return `This workspace was connected to another CRM meanwhile; disconnect it before connecting ${name}.`;
    default:
      return code;
  }
}

/** The OAuth callback comes back here with ?connected=1 or ?error=<code>. */
function OauthOutcome({ name }: { name: string }) {
  const [params] = useSearchParams();
  const error = params.get("error");
  if (error) {
    return (
      <Alert color="red" variant="light" title={`${name} was not connected`} role="alert">
        {oauthRefusal(error, name)}
      </Alert>
    );
  }
  if (params.get("connected")) {
    return (
      <Alert color="green" variant="light" title={`${name} connected`} role="status">
        Turn on {name} Sync to link customers and import values.
      </Alert>
    );
  }
  return null;
}

/** Another CRM is connected: a workspace syncs with one CRM at a time. */
function OtherCrmConnected({ name }: { name: string }) {
  const crm = useWorkspaceCrm();
  return (
    <Alert color="blue" variant="light" title={`This workspace syncs with ${crm.displayName}`} role="status">
      A workspace syncs with one CRM at a time. To connect {name}, first disconnect {crm.displayName} on{" "}
      <Anchor component={Link} to={paths.integration(crm.id)} inherit>
        its page
      </Anchor>
      ; its links are then forgotten, while customers, contacts and field values stay.
    </Alert>
  );
}

/** Integrations › <CRM>: the CRMs on offer, this one's connection, and (for the workspace's CRM) what it syncs. */
export function CrmIntegrationScreen() {
  const { provider = defaultCrm.id } = useParams();
  const crm = useWorkspaceCrm();
  const connection = useProviderConnection(provider);
  const accountSync = useAccountSync();
  const admin = useSession().data?.role === "admin";
  // The CRM's name from the server wherever the text is generic; its id until it answered.
  const name = connection.data?.displayName ?? (provider === crm.id ? crm.displayName : provider);
  const workspaceCrm = provider === crm.id;
  return (
    <Stack gap="md">
      <PageHeader title={`Integrations › ${name}`} description={`Connect your ${name} account, then choose what to sync.`} />
      <CrmProviderList selected={provider} />
      <OauthOutcome name={name} />
      {!admin && (
        <Alert color="gray" variant="light">
          Only admins can change connections and sync settings.
        </Alert>
      )}
      {connection.isError ? (
        <ErrorAlert error={connection.error} title={`The ${name} connection could not be loaded`} onRetry={() => void connection.refetch()} />
      ) : connection.isPending ? (
        <LoadingBlock />
      ) : connection.data === null ? (
        <EmptyState icon={<IconPlugConnected size={24} />} title={`${name} integration coming soon`}>
          This server does not offer the {name} connection yet.
        </EmptyState>
      ) : crm.connected && !workspaceCrm ? (
        <OtherCrmConnected name={name} />
      ) : (
        <>
          <ConnectionCard connection={connection.data} admin={admin} />
          {workspaceCrm && connection.data.status === "connected" && connection.data.capabilities.accountSync && <AccountSyncCard admin={admin} name={name} />}
          {workspaceCrm && (
            <ContactSyncCard admin={admin} name={name} connected={connection.data.status === "connected"} accountSyncOn={accountSync.isPending ? undefined : (accountSync.data?.enabled ?? false)} />
          )}
        </>
      )}
    </Stack>
  );
}
