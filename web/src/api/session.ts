import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, isApiError } from "./client.ts";
import { keys } from "./keys.ts";
import type { Session } from "./types.ts";

/** The signed-in session, or null when there is none (a 401 is an answer here, not an error). */
export function useSession() {
  return useQuery({
    queryKey: keys.session,
    queryFn: async (): Promise<Session | null> => {
      try {
        return await api.get<Session>("/api/v1/session");
      } catch (error) {
        if (isApiError(error, 401)) return null;
        throw error;
      }
    },
    staleTime: 5 * 60_000,
  });
}

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; password: string }) => api.post<Session>("/api/v1/session", input),
    onSuccess: (session) => {
      // Another user may have been signed in before: nothing cached may survive.
      client.clear();
      client.setQueryData(keys.session, session);
    },
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete("/api/v1/session"),
    onSettled: () => {
      client.clear();
      client.setQueryData(keys.session, null);
    },
  });
}
