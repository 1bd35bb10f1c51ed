// The workspace's CRM and its connection: which CRM it is (GET /api/v1/crm/current), the CRMs
// this server offers, and connecting or disconnecting one. Every other CRM call goes to the
// workspace's CRM through useCrmPath. Some endpoints may not exist on an older server: a 404
// "no route" answer means "not available here", which screens show as such instead of as an error.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, isApiError, withQuery } from "./client.ts";
import { keys } from "./keys.ts";
import type { CrmConnection, CrmProvider } from "./types.ts";

/** The CRM a workspace has before it ever connected one, and while the server's answer is on its way. */
export const defaultCrm = { id: "hubspot", displayName: "HubSpot" } as const;

const crmPath = (provider: string) => `/api/v1/crm/${encodeURIComponent(provider)}`;

/** True for the answer of a route the server does not have (as opposed to a missing record). */
export function isMissingRoute(error: unknown): boolean {
  return isApiError(error, 404) && error.message.startsWith("No route ");
}

/** The value, or null when the server has no such endpoint. */
export async function optional<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (error) {
    if (isMissingRoute(error)) return null;
    throw error;
  }
}

/** The workspace's CRM with its connection: the connected one, else the last connected, else the default. */
export function useConnection() {
  return useQuery({ queryKey: keys.currentCrm, queryFn: () => optional(() => api.get<CrmConnection>("/api/v1/crm/current")) });
}

/** The workspace's CRM id and its API path; `ready` once the server said which CRM it is. */
export function useCrmPath(): { id: string; base: string; ready: boolean } {
  const current = useConnection();
  const id = current.data?.provider ?? defaultCrm.id;
  return { id, base: crmPath(id), ready: !current.isPending };
}

/** Whether CRM features (link icons, synced values) can be used right now. */
export function useCrmConnected(): boolean {
  return useConnection().data?.status === "connected";
}

export function useCrmProviders() {
  return useQuery({ queryKey: keys.crmProviders, queryFn: async () => (await api.get<{ items: CrmProvider[] }>("/api/v1/crm/providers")).items, staleTime: 300_000 });
}

/** One CRM's connection, which need not be the workspace's CRM (Integrations offers each). */
export function useProviderConnection(provider: string) {
  return useQuery({ queryKey: keys.connection(provider), queryFn: () => optional(() => api.get<CrmConnection>(`${crmPath(provider)}/connection`)) });
}

/** A pasted-in bearer credential of one of the CRM's token kinds (HubSpot: service_key, private_app). */
export function useConnectKey(provider: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, token }: { kind: string; token: string }) => api.post<CrmConnection>(`${crmPath(provider)}/connection/${kind.replaceAll("_", "-")}`, { token }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.crm }),
  });
}

/** environment: where to sign in, for a CRM that has a choice (Salesforce: production or sandbox). */
export function useStartOauth(provider: string) {
  return useMutation({ mutationFn: (environment?: string) => api.post<{ authorizeUrl: string }>(withQuery(`${crmPath(provider)}/oauth/start`, { environment })) });
}

export function useDisconnect(provider: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete(`${crmPath(provider)}/connection`),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: keys.crm });
      await client.invalidateQueries({ queryKey: keys.customers });
    },
  });
}
