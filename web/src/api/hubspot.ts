// HubSpot connection, the HubSpot Sync toggle, field import and manual linking. Some of these
// endpoints may not exist on an older server: a 404 "no route" answer means "not available
// here", which screens show as such instead of as an error.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, isApiError, withQuery } from "./client.ts";
import { keys } from "./keys.ts";
import { isActive, livePollMs } from "./sync-runs.ts";
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

export function useConnectPrivateApp() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (token: string) => api.post<HubSpotConnection>(`${base}/connection/private-app`, { token }),
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

export function useAccountSync() {
  return useQuery({
    queryKey: keys.accountSync,
    queryFn: () => optional(() => api.get<AccountSync>(`${base}/account-sync`)),
    refetchInterval: (query) => (isActive(query.state.data?.activeRun) ? livePollMs : false),
  });
}

export function useSetAccountSync() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (enabled: boolean) => api.put<AccountSync>(`${base}/account-sync`, { enabled }),
    onSuccess: async (state) => {
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
    mutationFn: (input: { companyId: string; dealId: string | null }) => api.put<Customer>(`/api/v1/customers/${encodeURIComponent(customerId)}/crm-link`, input),
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

/** A link to the HubSpot record page of a company or contact. */
export function hubspotRecordUrl(portalId: string, object: "company" | "contact" | "deal", id: string): string {
  const type = object === "contact" ? "0-1" : object === "company" ? "0-2" : "0-3";
  return `https://app.hubspot.com/contacts/${encodeURIComponent(portalId)}/record/${type}/${encodeURIComponent(id)}`;
}
