// API tokens and sign-in sessions (Settings › Security): admins manage the workspace's tokens and
// every session; a member sees and ends their own sessions.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client.ts";
import { keys } from "./keys.ts";
import type { ApiToken, CreatedApiToken, Role, SignInSession } from "./types.ts";

export function useApiTokens(enabled: boolean) {
  return useQuery({
    queryKey: keys.apiTokens,
    queryFn: async () => (await api.get<{ items: ApiToken[] }>("/api/v1/api-tokens")).items,
    enabled,
  });
}

export function useCreateApiToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; role: Role }) => api.post<CreatedApiToken>("/api/v1/api-tokens", input),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.apiTokens }),
  });
}

export function useRevokeApiToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (token: ApiToken) => api.delete(`/api/v1/api-tokens/${encodeURIComponent(token.id)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.apiTokens }),
  });
}

export function useSignInSessions(enabled: boolean) {
  return useQuery({
    queryKey: keys.signInSessions,
    queryFn: async () => (await api.get<{ items: SignInSession[] }>("/api/v1/sessions")).items,
    enabled,
  });
}

export function useRevokeSignInSession() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (session: SignInSession) => api.delete(`/api/v1/sessions/${encodeURIComponent(session.id)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.signInSessions }),
  });
}
