import { AppShell, Burger, Group, NavLink, ScrollArea, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconActivity, IconAddressBook, IconBuilding, IconChartBar, IconPlugConnected, IconSettings, IconShieldLock } from "@tabler/icons-react";
import { Suspense, type ReactNode } from "react";
import { Link, Outlet, useLocation } from "react-router";
import { LoadingBlock } from "../components/Loading.tsx";
import { WorkspaceCrmName } from "../crm/WorkspaceCrmName.tsx";
import { paths } from "../paths.ts";
import { Logo } from "./Logo.tsx";
import { NotificationBell } from "./NotificationBell.tsx";
import { UserMenu } from "./UserMenu.tsx";

interface NavItem {
  label: string;
  to: string;
  icon: ReactNode;
  description?: ReactNode;
}

const items: NavItem[] = [
  { label: "Customers", to: paths.customers, icon: <IconBuilding size={18} aria-hidden /> },
  { label: "Contacts", to: paths.contacts, icon: <IconAddressBook size={18} aria-hidden /> },
  { label: "Insights", to: paths.insights, icon: <IconChartBar size={18} aria-hidden /> },
  { label: "Sync activity", to: paths.syncActivity, icon: <IconActivity size={18} aria-hidden /> },
  { label: "Integrations", to: paths.integrations, icon: <IconPlugConnected size={18} aria-hidden />, description: <WorkspaceCrmName /> },
  { label: "Workspace", to: paths.workspaceSettings, icon: <IconSettings size={18} aria-hidden /> },
  { label: "Security", to: paths.security, icon: <IconShieldLock size={18} aria-hidden /> },
];

/** The entry of the screen shown or of a screen below it (/customers/fields is under Customers). */
function isCurrent(pathname: string, to: string): boolean {
  return pathname === to || pathname.startsWith(`${to}/`);
}

export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure();
  const { pathname } = useLocation();
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: "sm", collapsed: { mobile: !opened } }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={opened ? "Close navigation" : "Open navigation"} />
            <Logo />
          </Group>
          <Group gap="sm">
            <NotificationBell />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        <ScrollArea>
          {items.map((item) => (
            <NavLink
              key={item.to}
              component={Link}
              to={item.to}
              label={item.label}
              leftSection={item.icon}
              description={item.description}
              active={isCurrent(pathname, item.to)}
              aria-current={isCurrent(pathname, item.to) ? "page" : undefined}
              onClick={close}
            />
          ))}
        </ScrollArea>
        <Text size="xs" c="dimmed" mt="auto" p="xs">
          <a href="/docs" target="_blank" rel="noreferrer">
            API documentation
          </a>
        </Text>
      </AppShell.Navbar>
      <AppShell.Main>
        {/* Screens are loaded on first visit; the shell stays while one arrives. */}
        <Suspense fallback={<LoadingBlock label="Loading screen" />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
