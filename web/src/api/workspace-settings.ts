// The workspace's settings (Settings › Workspace): the country of national phone numbers, its
// own personal-domain additions and exceptions, and its contact limit.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client.ts";
import { keys } from "./keys.ts";
import type { WorkspaceSettings, WorkspaceSettingsChange } from "./types.ts";

export function useWorkspaceSettings() {
  return useQuery({ queryKey: keys.workspaceSettings, queryFn: () => api.get<WorkspaceSettings>("/api/v1/workspace-settings") });
}

export function useSaveWorkspaceSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (change: WorkspaceSettingsChange) => api.patch<WorkspaceSettings>("/api/v1/workspace-settings", change),
    onSuccess: (saved) => client.setQueryData(keys.workspaceSettings, saved),
  });
}
