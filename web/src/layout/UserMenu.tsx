import { Avatar, Group, Menu, Text, UnstyledButton } from "@mantine/core";
import { IconLogout } from "@tabler/icons-react";
import { useNavigate } from "react-router";
import { useSession, useSignOut } from "../api/session.ts";
import { paths } from "../paths.ts";

export function UserMenu() {
  const session = useSession().data;
  const signOut = useSignOut();
  const navigate = useNavigate();
  if (!session) return null;
  const name = session.user?.name || session.user?.email || "API token";
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        {/* Named by what it shows, after a hidden "Account menu": an aria-label would hide the visible name, workspace and role. */}
        <UnstyledButton>
          <span className="sr-only">Account menu: </span>
          <Group gap="xs">
            <div style={{ textAlign: "right" }}>
              <Text size="sm" fw={500} lh={1.2}>
                {name}
              </Text>
              <Text size="xs" c="dimmed" lh={1.2}>
                {session.workspace.name} · {session.role}
              </Text>
            </div>
            <Avatar size="sm" color="blue" radius="xl" name={name} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        {session.user && <Menu.Label>{session.user.email}</Menu.Label>}
        <Menu.Item
          leftSection={<IconLogout size={16} aria-hidden />}
          onClick={() => signOut.mutate(undefined, { onSettled: () => void navigate(paths.login, { replace: true }) })}
        >
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
