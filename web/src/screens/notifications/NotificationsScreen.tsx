import { Button, Group, Paper, SegmentedControl, Stack } from "@mantine/core";
import { notifications as toasts } from "@mantine/notifications";
import { IconBell } from "@tabler/icons-react";
import { useState } from "react";
import { errorMessage } from "../../api/client.ts";
import { useMarkAllNotificationsRead, useNotificationList } from "../../api/notifications.ts";
import { useSession } from "../../api/session.ts";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorAlert } from "../../components/ErrorAlert.tsx";
import { TableSkeleton } from "../../components/Loading.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { NotificationItem } from "./NotificationItem.tsx";

function NotificationList() {
  const [unreadOnly, setUnreadOnly] = useState(false);
  const list = useNotificationList(unreadOnly);
  const markAll = useMarkAllNotificationsRead();
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const unreadCount = list.data?.pages[0]?.unreadCount ?? 0;
  const markAllRead = () =>
    markAll.mutate(undefined, { onError: (error) => toasts.show({ color: "red", title: "Notifications were not marked read", message: errorMessage(error) }) });
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <SegmentedControl
          aria-label="Show"
          value={unreadOnly ? "unread" : "all"}
          onChange={(value) => setUnreadOnly(value === "unread")}
          data={[
            { value: "all", label: "All" },
            { value: "unread", label: `Unread (${unreadCount})` },
          ]}
        />
        <Button variant="default" onClick={markAllRead} loading={markAll.isPending} disabled={unreadCount === 0}>
          Mark all read
        </Button>
      </Group>
      {list.isError && <ErrorAlert error={list.error} title="The notifications could not be loaded" onRetry={() => void list.refetch()} />}
      {list.isPending ? (
        <TableSkeleton rows={4} />
      ) : items.length === 0 && !list.isError ? (
        <EmptyState icon={<IconBell size={24} />} title={unreadOnly ? "Nothing unread" : "No notifications yet"}>
          You are told here when a sync run you started — or, for scheduled runs, any run if you are an admin — ends with errors.
        </EmptyState>
      ) : (
        <Paper withBorder radius="md" p="sm">
          <Stack gap="sm" component="ul" p={0} m={0} aria-label="Notifications">
            {items.map((n) => (
              <NotificationItem key={n.id} notification={n} />
            ))}
          </Stack>
        </Paper>
      )}
      {list.hasNextPage && (
        <Group justify="center">
          <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            Load older notifications
          </Button>
        </Group>
      )}
    </Stack>
  );
}

export function NotificationsScreen() {
  const session = useSession().data;
  return (
    <Stack gap="sm">
      <PageHeader title="Notifications" description="Sync runs that ended with errors. Open one to read its errors and how to resolve them." />
      {session?.user ? (
        <NotificationList />
      ) : (
        <EmptyState icon={<IconBell size={24} />} title="Notifications belong to users">
          This session uses an API token that no user created, so it has no notifications. Sign in as a user to see yours.
        </EmptyState>
      )}
    </Stack>
  );
}
