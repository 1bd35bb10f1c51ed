import { Alert, Stack } from "@mantine/core";
import { IconPlugConnected } from "@tabler/icons-react";
import { useSearchParams } from "react-router";
import { useAccountSync, useConnection } from "../../api/hubspot.ts";
import { useSession } from "../../api/session.ts";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorAlert } from "../../components/ErrorAlert.tsx";
import { LoadingBlock } from "../../components/Loading.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { AccountSyncCard } from "./AccountSyncCard.tsx";
import { ConnectionCard } from "./ConnectionCard.tsx";
import { ContactSyncCard } from "./ContactSyncCard.tsx";

/** The OAuth callback comes back here with ?connected=1 or ?error=<message>. */
function OauthOutcome() {
  const [params] = useSearchParams();
  const error = params.get("error");
  if (error) {
    return (
      <Alert color="red" variant="light" title="HubSpot was not connected" role="alert">
        {error}
      </Alert>
    );
  }
  if (params.get("connected")) {
    return (
      <Alert color="green" variant="light" title="HubSpot connected" role="status">
        Turn on HubSpot Sync to link customers and import values.
      </Alert>
    );
  }
  return null;
}

export function HubSpotIntegrationScreen() {
  const connection = useConnection();
  const accountSync = useAccountSync();
  const admin = useSession().data?.role === "admin";
  return (
    <Stack gap="md">
      <PageHeader title="Integrations › HubSpot" description="Connect your HubSpot portal, then choose what to sync." />
      <OauthOutcome />
      {!admin && (
        <Alert color="gray" variant="light">
          Only admins can change connections and sync settings.
        </Alert>
      )}
      {connection.isError ? (
        <ErrorAlert error={connection.error} title="The HubSpot connection could not be loaded" onRetry={() => void connection.refetch()} />
      ) : connection.isPending ? (
        <LoadingBlock />
      ) : connection.data === null ? (
        <EmptyState icon={<IconPlugConnected size={24} />} title="HubSpot integration coming soon">
          This server does not offer the HubSpot connection yet.
        </EmptyState>
      ) : (
        <>
          <ConnectionCard connection={connection.data} admin={admin} />
          {connection.data.status === "connected" && <AccountSyncCard admin={admin} />}
          <ContactSyncCard admin={admin} connected={connection.data.status === "connected"} accountSyncOn={accountSync.isPending ? undefined : (accountSync.data?.enabled ?? false)} />
        </>
      )}
    </Stack>
  );
}
