import { Radio, Stack, TextInput } from "@mantine/core";

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
      {kind === "list" && (
        <TextInput
          label="HubSpot list id"
          description="In HubSpot › Contacts › Lists, the number in the list's address."
          placeholder="e.g. 42"
          value={listId}
          onChange={(e) => onChange({ kind, listId: e.currentTarget.value })}
          error={listError}
          disabled={disabled}
          w={320}
          ml={32}
        />
      )}
    </Stack>
  );
}
