import { Group, Tabs, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { useLocation, useNavigate } from "react-router";
import { paths } from "../../paths.ts";

/** Customers › Overview and Customers › Custom Fields share this title and tab bar. */
export function CustomersHeader({ actions }: { actions?: ReactNode }) {
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const current = pathname === paths.customFields ? paths.customFields : paths.customers;
  return (
    <>
      <Group justify="space-between" align="center" mb="xs" wrap="wrap" gap="sm">
        <Title order={2}>Customers</Title>
        {actions && (
          <Group gap="md" wrap="wrap">
            {actions}
          </Group>
        )}
      </Group>
      <Tabs value={current} onChange={(value) => value && void navigate(value)} mb="md" aria-label="Customers sections">
        <Tabs.List>
          <Tabs.Tab value={paths.customers}>Overview</Tabs.Tab>
          <Tabs.Tab value={paths.customFields}>Custom Fields</Tabs.Tab>
        </Tabs.List>
      </Tabs>
    </>
  );
}
