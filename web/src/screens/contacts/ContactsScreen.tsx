import { Group, NativeSelect, Paper, Pill, Stack, TextInput } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { IconAddressBook, IconSearch } from "@tabler/icons-react";
import { useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { useContactList } from "../../api/contacts.ts";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { CursorPager } from "../../components/CursorPager.tsx";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorAlert } from "../../components/ErrorAlert.tsx";
import { TableSkeleton } from "../../components/Loading.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { useCursorTrail } from "../../components/useCursorTrail.ts";
import { lifecycleStages, lifecycleTag, stageOfTag } from "../../components/lifecycle.ts";
import { ContactSyncBanner } from "./ContactSyncBanner.tsx";
import { ContactsTable } from "./ContactsTable.tsx";

const sorts = [
  { value: "name", label: "Name A–Z" },
  { value: "-name", label: "Name Z–A" },
  { value: "-createdAt", label: "Newest first" },
  { value: "-updatedAt", label: "Recently changed" },
];

export function ContactsScreen() {
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get("q") ?? "");
  const crmName = useWorkspaceCrm().displayName;
  const trail = useCursorTrail(params.toString());
  const apiQuery = useMemo(() => {
    const query = new URLSearchParams(params);
    query.set("limit", "25");
    if (trail.cursor) query.set("cursor", trail.cursor);
    return query.toString();
  }, [params, trail.cursor]);
  const list = useContactList(apiQuery);

  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const setQ = useDebouncedCallback((q: string) => set("q", q.trim() || null), 300);
  const tag = params.get("tag");
  // The lifecycle stage is a tag (lifecycle:<stage>); the stage filter sets that tag.
  const stage = tag ? stageOfTag(tag) : null;
  const knownStage = lifecycleStages.some((s) => s.value === stage);
  const items = list.data?.items ?? [];
  const narrowed = !!(params.get("q") || tag || params.get("synced"));

  return (
    <Stack gap="sm">
      <PageHeader title="Contacts" description={`People at your customers. Synced contacts come from ${crmName} when contact sync is on.`} />
      <ContactSyncBanner />
      <Group gap="sm" align="flex-end">
        <TextInput
          aria-label="Search contacts"
          placeholder="Search by name or email"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setQ(e.currentTarget.value);
          }}
          w={280}
        />
        <NativeSelect
          aria-label={`${crmName} sync`}
          data={[
            { value: "", label: "All contacts" },
            { value: "true", label: `Synced with ${crmName}` },
            { value: "false", label: "Not synced" },
          ]}
          value={params.get("synced") ?? ""}
          onChange={(e) => set("synced", e.currentTarget.value || null)}
        />
        <NativeSelect aria-label="Sort contacts" data={sorts} value={params.get("sort") ?? "name"} onChange={(e) => set("sort", e.currentTarget.value === "name" ? null : e.currentTarget.value)} />
        <NativeSelect
          aria-label="Lifecycle stage"
          data={[{ value: "", label: "Every lifecycle stage" }, ...lifecycleStages.map((s) => ({ value: s.value, label: `Stage: ${s.label}` })), ...(stage && !knownStage ? [{ value: stage, label: `Stage: ${stage}` }] : [])]}
          value={stage ?? ""}
          onChange={(e) => set("tag", e.currentTarget.value ? lifecycleTag(e.currentTarget.value) : null)}
        />
        {tag && !stage && (
          <Pill size="md" withRemoveButton onRemove={() => set("tag", null)} removeButtonProps={{ "aria-label": `Remove tag filter ${tag}`, "aria-hidden": false, tabIndex: 0 }}>
            Tag: {tag}
          </Pill>
        )}
      </Group>
      {list.isError && <ErrorAlert error={list.error} title="The contacts could not be loaded" onRetry={() => void list.refetch()} />}
      {list.isPending ? (
        <TableSkeleton />
      ) : items.length === 0 && !list.isError ? (
        <EmptyState icon={<IconAddressBook size={24} />} title={narrowed ? "No contacts match" : "No contacts yet"}>
          {narrowed ? "Change the search or remove a filter." : `Contacts are added through the API or brought in from ${crmName} by contact sync (Integrations).`}
        </EmptyState>
      ) : (
        <Paper withBorder radius="md" style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
          <ContactsTable contacts={items} onTag={(t) => set("tag", t)} />
        </Paper>
      )}
      <CursorPager
        page={trail.page}
        hasPrevious={trail.hasPrevious}
        hasNext={!!list.data?.nextCursor}
        onPrevious={trail.previous}
        onNext={() => list.data?.nextCursor && trail.next(list.data.nextCursor)}
        loading={list.isFetching}
      />
    </Stack>
  );
}
