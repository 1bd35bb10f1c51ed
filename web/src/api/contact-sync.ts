// Contact sync (product spec §4): settings, Run now, and the two-way safety step — a dry-run
// preview of the first reconcile that an admin must confirm before anything is written to the CRM.
import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { api, withQuery } from "./client.ts";
import { useCrmPath } from "./crm.ts";
import { keys } from "./keys.ts";
import { isActive, livePollMs, useRefreshOnRunChange } from "./sync-runs.ts";
import type {
  ContactFieldMapping,
  ContactSyncInput,
  ContactSyncPreview,
  ContactSyncRunResult,
  ContactSyncSettings,
  CrmContactList,
  CrmContactProperty,
  Page,
  SyncRun,
} from "./types.ts";

/** The workspace CRM's contact-sync path. */
function useContactSyncPath() {
  const crm = useCrmPath();
  return { ...crm, base: `${crm.base}/contact-sync` };
}

/** The run kinds contact sync starts: inbound runs, two-way reconciles and on-create pushes. */
export const contactRunKinds = ["contacts", "reconcile", "push"] as const;

/**
 * A save or Run now only queues a job; the worker creates the run a moment later. Until a run
 * newer than the one seen at that time has finished, the settings are polled quickly.
 */
interface AwaitedRun {
  since: number;
  previousRunId: string | null;
}

const awaitedRunKey = ["awaited-contact-run"] as const;
const awaitMaxMs = 120_000;

function awaitRun(client: QueryClient, provider: string): void {
  const state = client.getQueryData<ContactSyncSettings>(keys.contactSync(provider));
  client.setQueryData<AwaitedRun>(awaitedRunKey, { since: Date.now(), previousRunId: state?.activeRun?.id ?? state?.lastRun?.id ?? null });
}

function stillAwaited(client: QueryClient, state: ContactSyncSettings | undefined): boolean {
  const awaited = client.getQueryData<AwaitedRun>(awaitedRunKey);
  if (!awaited || Date.now() - awaited.since > awaitMaxMs) return false;
  const last = state?.lastRun;
  return !(last && last.id !== awaited.previousRunId && last.finishedAt);
}

export function useContactSync() {
  const client = useQueryClient();
  const crm = useContactSyncPath();
  return useQuery({
    queryKey: keys.contactSync(crm.id),
    queryFn: () => api.get<ContactSyncSettings>(crm.base),
    enabled: crm.ready,
    refetchInterval: (query) => {
      const state = query.state.data;
      if (isActive(state?.activeRun) || stillAwaited(client, state)) return livePollMs;
      return state && state.mode !== "off" ? 60_000 : false;
    },
  });
}

/**
 * The settings, and when a contact run ends, a refresh of what it changed (contacts, runs,
 * notifications), so every screen that shows them is current without a reload.
 */
export function useContactSyncWithRefresh() {
  const state = useContactSync();
  useRefreshOnRunChange(state.data, [keys.contacts, keys.runs, keys.notifications]);
  return state;
}

export function useSaveContactSync() {
  const client = useQueryClient();
  const crm = useContactSyncPath();
  return useMutation({
    mutationFn: (input: ContactSyncInput) => api.put<ContactSyncSettings>(crm.base, input),
    onSuccess: async (settings) => {
      // Turning inbound on, resuming or changing what it reads starts a run on the server.
      if (settings.mode !== "off" && !settings.paused) awaitRun(client, crm.id);
      client.setQueryData(keys.contactSync(crm.id), settings);
      await client.invalidateQueries({ queryKey: keys.runs });
    },
  });
}

export function useRunContactSync() {
  const client = useQueryClient();
  const crm = useContactSyncPath();
  return useMutation({
    mutationFn: () => api.post<ContactSyncRunResult>(`${crm.base}/run`),
    onSuccess: async () => {
      awaitRun(client, crm.id);
      await client.invalidateQueries({ queryKey: keys.contactSync(crm.id) });
      await client.invalidateQueries({ queryKey: keys.runs });
    },
  });
}

export function usePreviewContactSync() {
  const client = useQueryClient();
  const crm = useContactSyncPath();
  return useMutation({
    mutationFn: () => api.post<ContactSyncPreview>(`${crm.base}/preview`),
    // The settings now carry previewedAt, which confirm checks.
    onSuccess: () => client.invalidateQueries({ queryKey: keys.contactSync(crm.id) }),
  });
}

export function useConfirmContactSync() {
  const client = useQueryClient();
  const crm = useContactSyncPath();
  return useMutation({
    mutationFn: () => api.post<ContactSyncSettings>(`${crm.base}/confirm`),
    onSuccess: async (settings) => {
      if (!settings.paused) awaitRun(client, crm.id);
      client.setQueryData(keys.contactSync(crm.id), settings);
      await client.invalidateQueries({ queryKey: keys.runs });
    },
  });
}

/** The newest contact-sync runs of every kind, newest first (the API filters by one kind at a time). */
export function useRecentContactRuns(limit: number, live: boolean) {
  const results = useQueries({
    queries: contactRunKinds.map((kind) => ({
      queryKey: [...keys.runs, "recent", kind, limit] as const,
      queryFn: () => api.get<Page<SyncRun>>(withQuery("/api/v1/sync-runs", { kind, limit })),
      refetchInterval: live ? livePollMs * 2 : (false as const),
    })),
  });
  const runs = results
    .flatMap((r) => r.data?.items ?? [])
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .slice(0, limit);
  return {
    runs,
    isPending: results.some((r) => r.isPending),
    error: results.find((r) => r.isError)?.error ?? null,
    refetch: () => results.forEach((r) => void r.refetch()),
  };
}

/** The most contact lists one look-up answers; a longer portal is narrowed by typing. */
export const maxContactLists = 500;

/** The portal's contact lists whose name contains `query`; the previous answer stays shown while the next loads. */
export function useContactLists(query: string) {
  const crm = useCrmPath();
  return useQuery({
    queryKey: keys.contactLists(crm.id, query),
    queryFn: async () => (await api.get<{ items: CrmContactList[] }>(withQuery(`${crm.base}/contact-lists`, { query }))).items,
    enabled: crm.ready,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

/** The portal's contact properties, for the field mapping. */
export function useContactProperties() {
  const crm = useCrmPath();
  return useQuery({
    queryKey: keys.contactProperties(crm.id),
    queryFn: async () => (await api.get<{ items: CrmContactProperty[] }>(`${crm.base}/contact-properties`)).items,
    enabled: crm.ready,
    staleTime: 60_000,
  });
}

export const mappedFieldLabels: Record<keyof ContactFieldMapping, string> = {
  firstName: "First name",
  lastName: "Last name",
  email: "Email",
  phone: "Phone",
};

/**
 * The contact fields the CRM currently writes: the mapped ones while contact sync is on. The
 * display name follows first and last name, so it counts as synced when either is mapped.
 */
export function syncedContactFields(settings: ContactSyncSettings | undefined): Set<"name" | "firstName" | "lastName" | "emails" | "phones"> {
  const out = new Set<"name" | "firstName" | "lastName" | "emails" | "phones">();
  if (!settings || settings.mode === "off") return out;
  const { mapping } = settings;
  if (mapping.firstName) out.add("firstName");
  if (mapping.lastName) out.add("lastName");
  if (mapping.firstName || mapping.lastName) out.add("name");
  if (mapping.email) out.add("emails");
  if (mapping.phone) out.add("phones");
  return out;
}
