import { Anchor, Group } from "@mantine/core";
import { IconExternalLink } from "@tabler/icons-react";

/** Where a synced contact field is best changed: in the CRM, on the contact's record (its URL from the API). */
export function EditInCrmLink({ url, crmName, field }: { url: string; crmName: string; field: string }) {
  return (
    <Anchor href={url} target="_blank" rel="noreferrer" size="xs" aria-label={`Edit ${field} in ${crmName}`}>
      <Group gap={2} component="span" wrap="nowrap">
        Edit in {crmName} <IconExternalLink size={12} aria-hidden />
      </Group>
    </Anchor>
  );
}
