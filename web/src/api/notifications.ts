// The signed-in user's notifications (decision 0006): runs that ended with errors. Only users
// have them; an API-token session without a user is answered 403, so callers skip the query then.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, withQuery } from "./client.ts";
import { keys } from "./keys.ts";
import type { AppNotification, NotificationPage } from "./types.ts";

const base = "/api/v1/notifications";

/** Runs end in the background; a slow poll brings the badge up to date without a reload. */
const pollMs = 30_000;

/** The newest few and the unread count, for the header bell. */
export function useLatestNotifications(enabled: boolean, limit = 8) {
  return useQuery({
    queryKey: [...keys.notifications, "latest", limit] as const,
    queryFn: () => api.get<NotificationPage>(withQuery(base, { limit })),
    enabled,
    refetchInterval: pollMs,
  });
}

export function useNotificationList(unreadOnly: boolean) {
  return useInfiniteQuery({
    queryKey: keys.notificationList(unreadOnly),
    queryFn: ({ pageParam }) => api.get<NotificationPage>(withQuery(base, { limit: 25, cursor: pageParam, unread: unreadOnly ? "true" : undefined })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

export function useMarkNotificationRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<AppNotification>(`${base}/${encodeURIComponent(id)}/read`),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.notifications }),
  });
}

export function useMarkAllNotificationsRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ updated: number; unreadCount: number }>(`${base}/read-all`),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.notifications }),
  });
}
