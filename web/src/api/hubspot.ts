// HubSpot connection, the HubSpot Sync toggle, field import and manual linking. Some of these
// endpoints may not exist on an older server: a 404 "no route" answer means "not available
// here", which screens show as such instead of as an error.
import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { api, isApiError, withQuery } from "./client.ts";
import { keys } from "./keys.ts";
import { isActive, livePollMs, useRefreshOnRunChange } from "./sync-runs.ts";
import type { AccountSync, CrmObject, Customer, CustomField, HubSpotCompany, HubSpotConnection, HubSpotDeal, ImportableFields } from "./types.ts";

const base = "/api/v1/crm/hubspot";

/** True for the answer of a route the server does not have (as opposed to a missing record). */
export function isMissingRoute(error: unknown): boolean {
  return isApiError(error, 404) && error.message.startsWith("No route ");
}

/** The value, or null when the server has no such endpoint. */
async function optional<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (error) {
    if (isMissingRoute(error)) return null;
    throw error;
  }
}

export function useConnection() {
  return useQuery({ queryKey: keys.connection, queryFn: () => optional(() => api.get<HubSpotConnection>(`${base}/connection`)) });
}

/** Whether HubSpot features (link icons, HubSpot values) can be used right now. */
export function useHubSpotConnected(): boolean {
  return useConnection().data?.status === "connected";
}

/** A pasted-in bearer credential: a Service Key, or a legacy private-app token. */
export type KeyKind = "service_key" | "private_app";

export function useConnectKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, token }: { kind: KeyKind; token: string }) =>
      api.post<HubSpotConnection>(`${base}/connection/${kind === "service_key" ? "service-key" : "private-app"}`, { token }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.hubspot }),
  });
}

export function useStartOauth() {
  return useMutation({ mutationFn: () => api.post<{ authorizeUrl: string }>(`${base}/oauth/start`) });
}

export function useDisconnect() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete(`${base}/connection`),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: keys.hubspot });
      await client.invalidateQueries({ queryKey: keys.customers });
    },
  });
}

/**
 * A trigger (toggle on, import, Run now) only queues a job; the worker creates the run a moment
 * later. Until a run newer than the one seen at trigger time has finished, the state is polled
 * quickly so the screen can follow it.
 */
interface AwaitedRun {
  since: number;
  previousRunId: string | null;
}

const awaitedRunKey = ["awaited-account-run"] as const;
const awaitMaxMs = 120_000;

function awaitRun(client: QueryClient): void {
  const state = client.getQueryData<AccountSync | null>(keys.accountSync);
  client.setQueryData<AwaitedRun>(awaitedRunKey, { since: Date.now(), previousRunId: state?.lastRun?.id ?? null });
}

function stillAwaited(client: QueryClient, state: AccountSync | null | undefined): boolean {
  const awaited = client.getQueryData<AwaitedRun>(awaitedRunKey);
  if (!awaited || Date.now() - awaited.since > awaitMaxMs) return false;
  const last = state?.lastRun;
  return !(last && last.id !== awaited.previousRunId && last.finishedAt);
}

export function useAccountSync() {
  const client = useQueryClient();
  return useQuery({
    queryKey: keys.accountSync,
    queryFn: () => optional(() => api.get<AccountSync>(`${base}/account-sync`)),
    refetchInterval: (query) => {
      const state = query.state.data;
      if (isActive(state?.activeRun) || stillAwaited(client, state)) return livePollMs;
      // Scheduled runs happen every 30 minutes; a slow poll notices them.
      return state?.enabled ? 30_000 : false;
    },
  });
}

/**
 * Account sync's state, and when a run under way finishes, a refresh of what it changed
 * (links, values, runs), so the screen shows the outcome without a reload.
 */
export function useAccountSyncWithRefresh() {
  const state = useAccountSync();
  useRefreshOnRunChange(state.data, [keys.customers, keys.runs, ["insights"]]);
  return state;
}

export function useSetAccountSync() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (enabled: boolean) => api.put<AccountSync>(`${base}/account-sync`, { enabled }),
    onSuccess: async (state, enabled) => {
      if (enabled) awaitRun(client);
      client.setQueryData(keys.accountSync, state);
      await client.invalidateQueries({ queryKey: keys.runs });
    },
  });
}

export function useImportableFields(enabled: boolean) {
  return useQuery({ queryKey: keys.importable, queryFn: () => api.get<ImportableFields>(`${base}/importable-fields`), enabled, staleTime: 0 });
}

export function useImportFields() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (properties: { object: CrmObject; name: string }[]) => api.post<{ fields: CustomField[] }>(`${base}/import-fields`, { properties }),
    onSuccess: async () => {
      awaitRun(client);
      await client.invalidateQueries({ queryKey: ["custom-fields"] });
      await client.invalidateQueries({ queryKey: keys.importable });
      await client.invalidateQueries({ queryKey: keys.accountSync });
      await client.invalidateQueries({ queryKey: keys.runs });
      await client.invalidateQueries({ queryKey: keys.customers });
    },
  });
}

export function useCompanySearch(query: string, enabled: boolean) {
  return useQuery({
    queryKey: keys.companies(query),
    queryFn: async () => (await api.get<{ items: HubSpotCompany[] }>(withQuery(`${base}/companies`, { query }))).items,
    enabled,
    staleTime: 30_000,
  });
}

export function useCompanyDeals(companyId: string | null) {
  return useQuery({
    queryKey: keys.deals(companyId ?? ""),
    queryFn: async () => (await api.get<{ items: HubSpotDeal[] }>(`${base}/companies/${encodeURIComponent(companyId ?? "")}/deals`)).items,
    enabled: companyId !== null,
  });
}

export function useLinkCustomer(customerId: string) {
  const client = useQueryClient();
  return useMutation({
    /** dealId left out: the company's most recently created deal; null: no deal. */
    mutationFn: (input: { companyId: string; dealId?: string | null }) => api.put<Customer>(`/api/v1/customers/${encodeURIComponent(customerId)}/crm-link`, input),
    onSuccess: async (customer) => {
      client.setQueryData(keys.customer(customer.id), customer);
      client.setQueriesData<{ items: Customer[]; nextCursor: string | null }>({ queryKey: [...keys.customers, "list"] }, (page) =>
        page ? { ...page, items: page.items.map((c) => (c.id === customer.id ? customer : c)) } : page,
      );
      await client.invalidateQueries({ queryKey: keys.runs });
    },
  });
}

export function useUnlinkCustomer(customerId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete<Customer>(`/api/v1/customers/${encodeURIComponent(customerId)}/crm-link`),
    onSuccess: (customer) => {
      client.setQueryData(keys.customer(customer.id), customer);
      client.setQueriesData<{ items: Customer[]; nextCursor: string | null }>({ queryKey: [...keys.customers, "list"] }, (page) =>
        page ? { ...page, items: page.items.map((c) => (c.id === customer.id ? customer : c)) } : page,
      );
    },
  });
}

export function useRunAccountSync() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ queued: boolean; coalesced: boolean }>(`${base}/account-sync/run`),
    onSuccess: async () => {
      awaitRun(client);
      await client.invalidateQueries({ queryKey: keys.accountSync });
      await client.invalidateQueries({ queryKey: keys.runs });
    },
  });
}

/** Reads a synced field's label and options from HubSpot again (they are not refreshed by sync). */
export function useRefreshFieldDefinition() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (field: CustomField) => api.post<CustomField>(`/api/v1/custom-fields/${encodeURIComponent(field.id)}/refresh-definition`),
    onSuccess: () => client.invalidateQueries({ queryKey: ["custom-fields"] }),
  });
}
