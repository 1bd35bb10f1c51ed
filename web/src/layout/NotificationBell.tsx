import { ActionIcon, Anchor, Button, Group, Indicator, Popover, ScrollArea, Stack, Text } from "@mantine/core";
import { IconBell } from "@tabler/icons-react";
import { useState } from "react";
import { Link } from "react-router";
import { useLatestNotifications, useMarkAllNotificationsRead } from "../api/notifications.ts";
import { useSession } from "../api/session.ts";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { LoadingBlock } from "../components/Loading.tsx";
import { paths } from "../paths.ts";
import { NotificationItem } from "../screens/notifications/NotificationItem.tsx";

/** The header bell: unread count, the latest few, mark all read, and the full list. */
export function NotificationBell() {
  // Notifications belong to users; a session on a userless API token would only get 403s.
  const hasUser = !!useSession().data?.user;
  const [opened, setOpened] = useState(false);
  const latest = useLatestNotifications(hasUser);
  const markAll = useMarkAllNotificationsRead();
  if (!hasUser) return null;
  const unread = latest.data?.unreadCount ?? 0;
  const items = latest.data?.items ?? [];
  const label = unread > 0 ? `Notifications, ${unread} unread` : "Notifications";
  return (
    // The popover's target is the button itself: aria-haspopup belongs on it, not on the badge's wrapper.
    <Indicator label={unread > 99 ? "99+" : unread} disabled={unread === 0} size={18} color="red" offset={4}>
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={380} shadow="md" withinPortal trapFocus>
      <Popover.Target>
          <ActionIcon variant="subtle" color="gray" size="lg" aria-label={label} onClick={() => setOpened((o) => !o)} aria-expanded={opened} aria-haspopup="dialog">
            <IconBell size={20} aria-hidden />
          </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown p={0} role="dialog" aria-label="Notifications">
        <Group justify="space-between" px="sm" py="xs" style={{ borderBottom: "1px solid var(--mantine-color-gray-3)" }}>
          <Text fw={600} size="sm">
            Notifications
          </Text>
          <Button variant="subtle" size="compact-xs" onClick={() => markAll.mutate()} loading={markAll.isPending} disabled={unread === 0}>
            Mark all read
          </Button>
        </Group>
        {latest.isError ? (
          <div style={{ padding: 8 }}>
            <ErrorAlert error={latest.error} title="Notifications could not be loaded" onRetry={() => void latest.refetch()} />
          </div>
        ) : latest.isPending ? (
          <LoadingBlock label="Loading notifications" />
        ) : items.length === 0 ? (
          <Text size="sm" c="dimmed" p="md" ta="center">
            No notifications. You are told here when a sync run ends with errors.
          </Text>
        ) : (
          <ScrollArea.Autosize mah={420}>
            <Stack gap="sm" component="ul" p="sm" m={0}>
              {items.map((n) => (
                <NotificationItem key={n.id} notification={n} compact onOpen={() => setOpened(false)} />
              ))}
            </Stack>
          </ScrollArea.Autosize>
        )}
        <Group justify="center" py={6} style={{ borderTop: "1px solid var(--mantine-color-gray-3)" }}>
          <Anchor component={Link} to={paths.notifications} size="sm" onClick={() => setOpened(false)}>
            See all notifications
          </Anchor>
        </Group>
      </Popover.Dropdown>
    </Popover>
    </Indicator>
  );
}
