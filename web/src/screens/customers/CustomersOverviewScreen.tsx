import { Button, Group, Paper, Stack, Text, TextInput } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { IconBuilding, IconPlus, IconSearch } from "@tabler/icons-react";
import { useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { useCustomerList } from "../../api/customers.ts";
import { useFields } from "../../api/fields.ts";
import { useCrmConnected } from "../../api/crm.ts";
import type { Customer } from "../../api/types.ts";
import { CursorPager } from "../../components/CursorPager.tsx";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorAlert } from "../../components/ErrorAlert.tsx";
import { TableSkeleton } from "../../components/Loading.tsx";
import { useCursorTrail } from "../../components/useCursorTrail.ts";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { AddCustomerModal } from "./AddCustomerModal.tsx";
import { AddFilterPopover } from "./AddFilterPopover.tsx";
import { CustomersHeader } from "./CustomersHeader.tsx";
import { CustomersTable } from "./CustomersTable.tsx";
import { FilterPills } from "./FilterPills.tsx";
import { filterParam, readFilters, type ActiveFilter } from "./filters.ts";
import { CrmSyncToggle } from "./CrmSyncToggle.tsx";
import { LinkToCrmModal } from "./LinkToCrmModal.tsx";

const pageSize = 25;

export function CustomersOverviewScreen() {
  const [params, setParams] = useSearchParams();
  const fields = useFields();
  const canLink = useCrmConnected();
  const crmName = useWorkspaceCrm().displayName;
  const [adding, setAdding] = useState(false);
  const [linking, setLinking] = useState<Customer | null>(null);
  const [search, setSearch] = useState(params.get("q") ?? "");

  const filters = readFilters(params);
  const sort = params.get("sort") ?? "name";
  const baseQuery = params.toString();
  const trail = useCursorTrail(baseQuery);
  const apiQuery = useMemo(() => {
    const query = new URLSearchParams(params);
    query.set("limit", String(pageSize));
    if (trail.cursor) query.set("cursor", trail.cursor);
    return query.toString();
  }, [params, trail.cursor]);
  const list = useCustomerList(apiQuery);

  const update = (change: (next: URLSearchParams) => void) => {
    const next = new URLSearchParams(params);
    change(next);
    setParams(next, { replace: true });
  };
  const setQ = useDebouncedCallback((q: string) => update((next) => (q.trim() ? next.set("q", q.trim()) : next.delete("q"))), 300);
  const addFilter = (filter: ActiveFilter) => update((next) => next.set(filterParam(filter), filter.value));
  const removeFilter = (filter: ActiveFilter) => update((next) => next.delete(filterParam(filter)));
  const clearFilters = () => update((next) => filters.forEach((f) => next.delete(filterParam(f))));
  const setSort = (value: string) => update((next) => (value === "name" ? next.delete("sort") : next.set("sort", value)));

  const narrowed = filters.length > 0 || !!params.get("q");
  const items = list.data?.items ?? [];

  return (
    <Stack gap={0}>
      <CustomersHeader
        actions={
          <>
            <CrmSyncToggle />
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setAdding(true)}>
              Add new customer
            </Button>
          </>
        }
      />
      <Group mb="sm" gap="sm" align="flex-end">
        <TextInput
          aria-label="Search customers"
          placeholder="Search by name or domain"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setQ(e.currentTarget.value);
          }}
          w={280}
        />
        <AddFilterPopover fields={fields.data ?? []} onAdd={addFilter} />
      </Group>
      <Stack gap="sm">
        <FilterPills filters={filters} fields={fields.data ?? []} onRemove={removeFilter} onClear={clearFilters} />
        {list.isError && <ErrorAlert error={list.error} title="The customers could not be loaded" onRetry={() => void list.refetch()} />}
        {fields.isError && <ErrorAlert error={fields.error} title="The custom fields could not be loaded" />}
        {list.isPending || fields.isPending ? (
          <TableSkeleton />
        ) : items.length === 0 && !list.isError ? (
          narrowed ? (
            <EmptyState icon={<IconSearch size={24} />} title="No customers match">
              Change the search or remove a filter.
            </EmptyState>
          ) : (
            <EmptyState
              icon={<IconBuilding size={24} />}
              title="No customers yet"
              action={
                <Button variant="light" onClick={() => setAdding(true)}>
                  Add new customer
                </Button>
              }
            >
              Add customers here or through the API. With {crmName} Sync on, customers are linked to {crmName} companies by their domains.
            </EmptyState>
          )
        ) : (
          <Paper withBorder radius="md" style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }} aria-busy={list.isFetching}>
            <CustomersTable customers={items} fields={fields.data ?? []} sort={sort} onSort={setSort} canLink={canLink} onLink={setLinking} />
          </Paper>
        )}
        {items.length > 0 && !trail.hasPrevious && !list.data?.nextCursor && (
          <Text size="xs" c="dimmed" ta="right">
            {items.length} {items.length === 1 ? "customer" : "customers"}
          </Text>
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
      <AddCustomerModal opened={adding} onClose={() => setAdding(false)} />
      {linking && <LinkToCrmModal customer={linking} onClose={() => setLinking(null)} />}
    </Stack>
  );
}
