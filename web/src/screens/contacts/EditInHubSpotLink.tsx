import { Anchor, Group } from "@mantine/core";
import { IconExternalLink } from "@tabler/icons-react";
import { hubspotRecordUrl } from "../../api/hubspot.ts";

/** Where a synced contact field is best changed: in HubSpot, on the contact's record. */
export function EditInHubSpotLink({ portalId, externalId, field }: { portalId: string; externalId: string; field: string }) {
  return (
    <Anchor href={hubspotRecordUrl(portalId, "contact", externalId)} target="_blank" rel="noreferrer" size="xs" aria-label={`Edit ${field} in HubSpot`}>
      <Group gap={2} component="span" wrap="nowrap">
        Edit in HubSpot <IconExternalLink size={12} aria-hidden />
      </Group>
    </Anchor>
  );
}
