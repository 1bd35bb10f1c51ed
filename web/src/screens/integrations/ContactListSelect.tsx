import { Loader, Select, Stack, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useState } from "react";
import { maxContactLists, useContactLists } from "../../api/contact-sync.ts";
import type { CrmContactList } from "../../api/types.ts";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { choicesError, listDetails } from "./crmChoices.ts";

interface Props {
  /** The chosen list's id; empty when none is chosen. */
  value: string;
  onChange: (listId: string) => void;
  error: string | undefined;
  disabled: boolean;
}

/**
 * The CRM's contact lists, searched by name. The chosen list always shows, even when the
 * search leaves it out or the CRM no longer has it (the status above says when it is gone).
 */
export function ContactListSelect({ value, onChange, error, disabled }: Props) {
  // Every list (up to the cap), which names the saved one; typing narrows the search on the server.
  const all = useContactLists("");
  const crm = useWorkspaceCrm();
  const name = crm.displayName;
  const { account, contactList } = crm.wording;
  const [picked, setPicked] = useState<CrmContactList | null>(null);
  const [search, setSearch] = useState("");
  const selected = value === "" ? undefined : (all.data?.find((l) => l.id === value) ?? (picked?.id === value ? picked : undefined));
  const selectedLabel = selected?.name ?? (value === "" ? "" : `List ${value}`);
  // Showing the chosen list's name is not a search.
  const [query] = useDebouncedValue(search === selectedLabel ? "" : search.trim(), 300);
  const found = useContactLists(query);

  const lists = [...(found.data ?? [])];
  if (value !== "" && !lists.some((l) => l.id === value)) lists.unshift(selected ?? { id: value, name: selectedLabel, size: null, processingType: "" });
  const byId = new Map(lists.map((l) => [l.id, l]));
  const missing = value !== "" && selected === undefined && all.isSuccess && all.data.length < maxContactLists;

  const loadError = found.isError ? choicesError(found.error, name, `contact ${contactList}s`) : undefined;
  const details = (list: CrmContactList) => (list.processingType === "" ? (missing ? `id ${list.id} · not found in ${name}` : `id ${list.id}`) : listDetails(list));
  return (
    <Select
      label={`${name} ${contactList}`}
      description={
        selected ? listDetails(selected) : missing ? `List ${value} is not among ${name}'s contact ${contactList}s: choose another.` : `Type to search your ${account}'s contact ${contactList}s by name.`
      }
      placeholder={`Search ${contactList}s by name`}
      data={lists.map((l) => ({ value: l.id, label: l.name }))}
      value={value === "" ? null : value}
      onChange={(id) => {
        if (id === null) return;
        setPicked(byId.get(id) ?? null);
        onChange(id);
      }}
      searchValue={search}
      onSearchChange={setSearch}
      searchable
      allowDeselect={false}
      nothingFoundMessage={found.isFetching ? `Loading ${contactList}s…` : found.isError ? loadError : query ? `No contact ${contactList} matches “${query}”.` : `This ${account} has no contact ${contactList}s yet.`}
      rightSection={found.isFetching ? <Loader size={14} aria-label={`Loading ${name} ${contactList}s`} /> : undefined}
      onDropdownOpen={() => {
        if (found.isError) void found.refetch();
      }}
      renderOption={({ option }) => {
        const list = byId.get(option.value);
        return (
          <Stack gap={0}>
            <Text size="sm">{option.label}</Text>
            {list && (
              <Text size="xs" c="dimmed">
                {details(list)}
              </Text>
            )}
          </Stack>
        );
      }}
      error={error ?? loadError}
      disabled={disabled}
      maxDropdownHeight={280}
      w={420}
      ml={32}
    />
  );
}
