import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { api, withQuery } from "./client.ts";
import { keys } from "./keys.ts";
import type { Page, RunError, RunStatus, SyncRun, SyncRunDetail } from "./types.ts";

export const activeStatuses: readonly RunStatus[] = ["queued", "running"];
export const isActive = (run: { status: RunStatus } | null | undefined): boolean => !!run && activeStatuses.includes(run.status);

/** How often live screens ask again while a run is queued or running. */
export const livePollMs = 1500;

export function useRuns() {
  return useInfiniteQuery({
    queryKey: keys.runs,
    queryFn: ({ pageParam }) => api.get<Page<SyncRun>>(withQuery("/api/v1/sync-runs", { limit: 25, cursor: pageParam })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    refetchInterval: (query) => (query.state.data?.pages.some((page) => page.items.some(isActive)) ? livePollMs : false),
  });
}

export function useRun(id: string) {
  return useQuery({
    queryKey: keys.run(id),
    queryFn: () => api.get<SyncRunDetail>(`/api/v1/sync-runs/${encodeURIComponent(id)}`),
    refetchInterval: (query) => (isActive(query.state.data) ? livePollMs : false),
  });
}

export function useRunErrors(id: string, live: boolean) {
  return useInfiniteQuery({
    queryKey: keys.runErrors(id),
    queryFn: ({ pageParam }) => api.get<Page<RunError>>(withQuery(`/api/v1/sync-runs/${encodeURIComponent(id)}/errors`, { limit: 50, cursor: pageParam })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    refetchInterval: live ? livePollMs * 2 : false,
  });
}

/**
 * Refreshes the given queries when a sync's current or last run changes (started, ended, a new
 * one): whatever screen shows what the run changed is then current without a reload.
 */
export function useRefreshOnRunChange(state: { activeRun: { id: string } | null; lastRun: { id: string; status: string } | null } | null | undefined, queryKeys: readonly (readonly unknown[])[]): void {
  const client = useQueryClient();
  const signature = state ? `${state.activeRun?.id ?? ""}|${state.lastRun?.id ?? ""}|${state.lastRun?.status ?? ""}` : null;
  const previous = useRef<string | null>(null);
  useEffect(() => {
    if (signature === null) return;
    if (previous.current !== null && previous.current !== signature) {
      for (const queryKey of queryKeys) void client.invalidateQueries({ queryKey: [...queryKey] });
    }
    previous.current = signature;
    // queryKeys is a fresh array each render; the signature alone decides when to refresh.
  }, [signature, client]);
}
