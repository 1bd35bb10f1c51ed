// Account sync with the workspace's CRM (the "<CRM> Sync" toggle), Run now, and importing the
// CRM's company and deal properties as synced fields.
import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { api } from "./client.ts";
import { optional, useCrmPath } from "./crm.ts";
import { keys } from "./keys.ts";
import { isActive, livePollMs, useRefreshOnRunChange } from "./sync-runs.ts";
import type { AccountSync, CrmObject, CustomField, ImportableFields } from "./types.ts";

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

function awaitRun(client: QueryClient, provider: string): void {
  const state = client.getQueryData<AccountSync | null>(keys.accountSync(provider));
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
  const crm = useCrmPath();
  return useQuery({
    queryKey: keys.accountSync(crm.id),
    queryFn: () => optional(() => api.get<AccountSync>(`${crm.base}/account-sync`)),
    enabled: crm.ready,
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
  const crm = useCrmPath();
  return useMutation({
    mutationFn: (enabled: boolean) => api.put<AccountSync>(`${crm.base}/account-sync`, { enabled }),
    onSuccess: async (state, enabled) => {
      if (enabled) awaitRun(client, crm.id);
      client.setQueryData(keys.accountSync(crm.id), state);
      await client.invalidateQueries({ queryKey: keys.runs });
    },
  });
}

export function useRunAccountSync() {
  const client = useQueryClient();
  const crm = useCrmPath();
  return useMutation({
    mutationFn: () => api.post<{ queued: boolean; coalesced: boolean }>(`${crm.base}/account-sync/run`),
    onSuccess: async () => {
      awaitRun(client, crm.id);
      await client.invalidateQueries({ queryKey: keys.accountSync(crm.id) });
      await client.invalidateQueries({ queryKey: keys.runs });
    },
  });
}

export function useImportableFields(enabled: boolean) {
  const crm = useCrmPath();
  return useQuery({ queryKey: keys.importable(crm.id), queryFn: () => api.get<ImportableFields>(`${crm.base}/importable-fields`), enabled: enabled && crm.ready, staleTime: 0 });
}

export function useImportFields() {
  const client = useQueryClient();
  const crm = useCrmPath();
  return useMutation({
    mutationFn: (properties: { object: CrmObject; name: string }[]) => api.post<{ fields: CustomField[] }>(`${crm.base}/import-fields`, { properties }),
    onSuccess: async () => {
      awaitRun(client, crm.id);
      await client.invalidateQueries({ queryKey: ["custom-fields"] });
      await client.invalidateQueries({ queryKey: keys.importable(crm.id) });
      await client.invalidateQueries({ queryKey: keys.accountSync(crm.id) });
      await client.invalidateQueries({ queryKey: keys.runs });
      await client.invalidateQueries({ queryKey: keys.customers });
    },
  });
}

/** Reads a synced field's label and options from the CRM again (they are not refreshed by sync). */
export function useRefreshFieldDefinition() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (field: CustomField) => api.post<CustomField>(`/api/v1/custom-fields/${encodeURIComponent(field.id)}/refresh-definition`),
    onSuccess: () => client.invalidateQueries({ queryKey: ["custom-fields"] }),
  });
}
