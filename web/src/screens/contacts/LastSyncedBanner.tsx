import { Alert, Anchor, Text } from "@mantine/core";
import { IconRefresh } from "@tabler/icons-react";
import { hubspotRecordUrl } from "../../api/hubspot.ts";
import type { Contact } from "../../api/types.ts";
import { formatDateTime, formatRelative } from "../../components/format.ts";

export function LastSyncedBanner({ contact, portalId }: { contact: Contact; portalId: string | null }) {
  return (
    <Alert color="orange" variant="light" icon={<IconRefresh aria-hidden />} title="Synced with HubSpot" role="status">
      <Text size="sm">
        Last synced {formatRelative(contact.lastSyncedAt)}
        {contact.lastSyncedAt ? ` (${formatDateTime(contact.lastSyncedAt)})` : ""}. HubSpot contact {contact.externalId}
        {portalId && contact.externalId && (
          <>
            {" · "}
            <Anchor href={hubspotRecordUrl(portalId, "contact", contact.externalId)} target="_blank" rel="noreferrer" size="sm">
              Open in HubSpot
            </Anchor>
          </>
        )}
        . Changes to synced fields are best made in HubSpot.
      </Text>
    </Alert>
  );
}
