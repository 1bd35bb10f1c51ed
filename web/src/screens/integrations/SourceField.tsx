import { Radio, Stack } from "@mantine/core";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { ContactListSelect } from "./ContactListSelect.tsx";

interface Props {
  kind: "synced_companies" | "list";
  listId: string;
  onChange: (value: { kind: "synced_companies" | "list"; listId: string }) => void;
  accountSyncOn: boolean;
  disabled: boolean;
  listError: string | undefined;
}

/** Which CRM contacts to sync (spec §4.1): those of the synced companies, or one list's members. */
export function SourceField({ kind, listId, onChange, accountSyncOn, disabled, listError }: Props) {
  const crm = useWorkspaceCrm();
  const name = crm.displayName;
  // The sources the CRM offers (its capabilities); both until the server said.
  const sources = crm.connection?.capabilities.contactSources ?? ["synced_companies", "list"];
  return (
    <Stack gap={6}>
      <Radio.Group label="Which contacts" value={kind} onChange={(next) => onChange({ kind: next === "list" ? "list" : "synced_companies", listId })}>
        <Stack gap={8} mt={6}>
          {sources.includes("synced_companies") && (
            <Radio
              value="synced_companies"
              label="Contacts of the synced companies"
              description={
                accountSyncOn
                  ? `Contacts associated with the companies ${name} Sync linked; each is attached to that customer.`
                  : `Only while ${name} Sync (account sync) is on: turn it on above to offer this.`
              }
              disabled={disabled || !accountSyncOn}
            />
          )}
          {sources.includes("list") && <Radio value="list" label={`Members of a ${name} ${crm.wording.contactList}`} description={crm.wording.contactListHint} disabled={disabled} />}
        </Stack>
      </Radio.Group>
      {kind === "list" && <ContactListSelect value={listId} onChange={(next) => onChange({ kind, listId: next })} error={listError} disabled={disabled} />}
    </Stack>
  );
}
