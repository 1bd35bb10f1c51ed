import { Radio, Stack } from "@mantine/core";
import { ContactListSelect } from "./ContactListSelect.tsx";

interface Props {
  kind: "synced_companies" | "list";
  listId: string;
  onChange: (value: { kind: "synced_companies" | "list"; listId: string }) => void;
  accountSyncOn: boolean;
  disabled: boolean;
  listError: string | undefined;
}

/** Which HubSpot contacts to sync (spec §4.1): those of the synced companies, or one list's members. */
export function SourceField({ kind, listId, onChange, accountSyncOn, disabled, listError }: Props) {
  return (
    <Stack gap={6}>
      <Radio.Group label="Which contacts" value={kind} onChange={(next) => onChange({ kind: next === "list" ? "list" : "synced_companies", listId })}>
        <Stack gap={8} mt={6}>
          <Radio
            value="synced_companies"
            label="Contacts of the synced companies"
            description={
              accountSyncOn
                ? "Contacts associated with the companies HubSpot Sync linked; each is attached to that customer."
                : "Only while HubSpot Sync (account sync) is on: turn it on above to offer this."
            }
            disabled={disabled || !accountSyncOn}
          />
          <Radio value="list" label="Members of a HubSpot list" description="A contact list of your portal (static or active)." disabled={disabled} />
        </Stack>
      </Radio.Group>
      {kind === "list" && <ContactListSelect value={listId} onChange={(next) => onChange({ kind, listId: next })} error={listError} disabled={disabled} />}
    </Stack>
  );
}
