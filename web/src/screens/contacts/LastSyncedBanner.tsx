import { Alert, Anchor, Text } from "@mantine/core";
import { IconRefresh } from "@tabler/icons-react";
import type { Contact } from "../../api/types.ts";
import { formatDateTime, formatRelative } from "../../components/format.ts";

/** crmName: the connection's display name (HubSpot); the record's URL comes from the API. */
export function LastSyncedBanner({ contact, crmName }: { contact: Contact; crmName: string }) {
  return (
    <Alert color="orange" variant="light" icon={<IconRefresh aria-hidden />} title={`Synced with ${crmName}`} role="status">
      <Text size="sm">
        Last synced {formatRelative(contact.lastSyncedAt)}
        {contact.lastSyncedAt ? ` (${formatDateTime(contact.lastSyncedAt)})` : ""}. {crmName} contact {contact.externalId}
        {contact.externalUrl && (
          <>
            {" · "}
            <Anchor href={contact.externalUrl} target="_blank" rel="noreferrer" size="sm">
              Open in {crmName}
            </Anchor>
          </>
        )}
        . Changes to synced fields are best made in {crmName}.
      </Text>
    </Alert>
  );
}
