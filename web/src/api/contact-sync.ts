// Contact sync settings (product spec §4). Built against the agreed contract; while the server
// has no such endpoint the query answers null and the screen says "coming soon".
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, isApiError } from "./client.ts";
import { keys } from "./keys.ts";
import type { ContactSyncPreview, ContactSyncSettings, SyncRun } from "./types.ts";

const base = "/api/v1/crm/hubspot/contact-sync";

export function useContactSync() {
  return useQuery({
    queryKey: keys.contactSync,
    queryFn: async (): Promise<ContactSyncSettings | null> => {
      try {
        return await api.get<ContactSyncSettings>(base);
      } catch (error) {
        if (isApiError(error, 404)) return null;
        throw error;
      }
    },
  });
}

export function useSaveContactSync() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (settings: Omit<ContactSyncSettings, "lastRun" | "reconcileConfirmedAt">) => api.put<ContactSyncSettings>(base, settings),
    onSuccess: (settings) => client.setQueryData(keys.contactSync, settings),
  });
}

export function usePreviewContactSync() {
  return useMutation({ mutationFn: () => api.post<ContactSyncPreview>(`${base}/preview`) });
}

export function useRunContactSync() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { confirmReconcile?: boolean }) => api.post<SyncRun>(`${base}/run`, input),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: keys.contactSync });
      await client.invalidateQueries({ queryKey: keys.runs });
    },
  });
}
