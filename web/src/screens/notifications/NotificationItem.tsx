import { ActionIcon, Anchor, Box, Group, Stack, Text, Tooltip, UnstyledButton } from "@mantine/core";
import { IconCheck } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { useMarkNotificationRead } from "../../api/notifications.ts";
import type { AppNotification } from "../../api/types.ts";
import { formatDateTime, formatRelative } from "../../components/format.ts";

interface Props {
  notification: AppNotification;
  /** Called after the link was followed (the popover closes then). */
  onOpen?: () => void;
  compact?: boolean;
}

function UnreadDot({ read }: { read: boolean }) {
  return (
    <Box
      w={8}
      h={8}
      mt={6}
      style={{ borderRadius: "50%", flex: "none", background: read ? "transparent" : "var(--mantine-color-blue-6)" }}
      aria-label={read ? undefined : "Unread"}
      role={read ? undefined : "img"}
    />
  );
}

/** One notification: opening its run marks it read. */
export function NotificationItem({ notification, onOpen, compact = false }: Props) {
  const markRead = useMarkNotificationRead();
  const open = () => {
    if (!notification.read) markRead.mutate(notification.id);
    onOpen?.();
  };
  const title = (
    <Text size="sm" fw={notification.read ? 400 : 600} {...(compact ? { lineClamp: 2 } : {})}>
      {notification.title}
    </Text>
  );
  const content: ReactNode = (
    <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
      {title}
      <Text size="xs" c="dimmed" {...(compact ? { lineClamp: 2 } : {})}>
        {notification.body}
      </Text>
      <Text size="xs" c="dimmed" title={formatDateTime(notification.createdAt)}>
        {formatRelative(notification.createdAt)}
      </Text>
    </Stack>
  );
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start" component="li" style={{ listStyle: "none" }} data-read={notification.read} aria-label={notification.title}>
      <UnreadDot read={notification.read} />
      {notification.link ? (
        <UnstyledButton component={Link} to={notification.link} onClick={open} style={{ flex: 1, minWidth: 0 }} aria-label={`Open ${notification.title}`}>
          {content}
        </UnstyledButton>
      ) : (
        content
      )}
      {!compact && notification.link && (
        <Anchor component={Link} to={notification.link} onClick={open} size="xs" className="nowrap">
          Open run
        </Anchor>
      )}
      {!notification.read && (
        <Tooltip label="Mark read">
          <ActionIcon variant="subtle" color="gray" size="sm" onClick={() => markRead.mutate(notification.id)} loading={markRead.isPending} aria-label={`Mark read: ${notification.title}`}>
            <IconCheck size={14} aria-hidden />
          </ActionIcon>
        </Tooltip>
      )}
    </Group>
  );
}
