import { Loader, Select, Stack, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useState } from "react";
import { maxContactLists, useContactLists } from "../../api/contact-sync.ts";
import type { HubSpotContactList } from "../../api/types.ts";
import { choicesError, listDetails } from "./hubspotChoices.ts";

interface Props {
  /** The chosen list's id; empty when none is chosen. */
  value: string;
  onChange: (listId: string) => void;
  error: string | undefined;
  disabled: boolean;
}

/**
 * The portal's contact lists, searched by name. The chosen list always shows, even when the
 * search leaves it out or HubSpot no longer has it (the status above says when it is gone).
 */
export function ContactListSelect({ value, onChange, error, disabled }: Props) {
  // Every list (up to the cap), which names the saved one; typing narrows the search on the server.
  const all = useContactLists("");
  const [picked, setPicked] = useState<HubSpotContactList | null>(null);
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

  const loadError = found.isError ? choicesError(found.error, "contact lists") : undefined;
  const details = (list: HubSpotContactList) => (list.processingType === "" ? (missing ? `id ${list.id} · not found in HubSpot` : `id ${list.id}`) : listDetails(list));
  return (
    <Select
      label="HubSpot list"
      description={
        selected ? listDetails(selected) : missing ? `List ${value} is not among HubSpot's contact lists: choose another.` : "Type to search your portal's contact lists by name."
      }
      placeholder="Search lists by name"
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
      nothingFoundMessage={found.isFetching ? "Loading lists…" : found.isError ? loadError : query ? `No contact list matches “${query}”.` : "This portal has no contact lists yet."}
      rightSection={found.isFetching ? <Loader size={14} aria-label="Loading HubSpot lists" /> : undefined}
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
