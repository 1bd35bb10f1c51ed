import { Badge, Group, Paper, SimpleGrid, Text, UnstyledButton } from "@mantine/core";
import { Link } from "react-router";
import { defaultCrm, useCrmProviders } from "../../api/crm.ts";
import type { CrmProvider } from "../../api/types.ts";
import { CrmMark } from "../../crm/CrmMark.tsx";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { paths } from "../../paths.ts";

/** The default CRM first, the others in the server's order. */
function ordered(providers: CrmProvider[]): CrmProvider[] {
  return [...providers].sort((a, b) => Number(b.id === defaultCrm.id) - Number(a.id === defaultCrm.id));
}

/**
 * The CRMs this server connects, each opening its page. A workspace syncs with one CRM at a
 * time, so while one is connected the others say it must be disconnected first. With a single
 * CRM on offer there is nothing to choose and nothing shows.
 */
export function CrmProviderList({ selected }: { selected: string }) {
  const providers = useCrmProviders().data ?? [];
  const crm = useWorkspaceCrm();
  if (providers.length < 2) return null;
  return (
    <SimpleGrid component="nav" aria-label="CRMs" cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
      {ordered(providers).map((provider) => {
        const connected = crm.connected && crm.id === provider.id;
        const blocked = crm.connected && crm.id !== provider.id;
        return (
          <UnstyledButton key={provider.id} component={Link} to={paths.integration(provider.id)} aria-current={provider.id === selected ? "page" : undefined} data-provider={provider.id}>
            <Paper withBorder p="sm" radius="md" bd={provider.id === selected ? "2px solid var(--mantine-primary-color-filled)" : undefined}>
              <Group gap="xs" wrap="nowrap">
                <CrmMark provider={provider.id} size={18} label={provider.displayName} />
                <Text fw={600}>{provider.displayName}</Text>
                {connected ? (
                  <Badge color="green" variant="light">
                    Connected
                  </Badge>
                ) : (
                  !blocked && (
                    <Badge color="gray" variant="light">
                      Not connected
                    </Badge>
                  )
                )}
              </Group>
              {blocked && (
                <Text size="xs" c="dimmed" mt={4}>
                  Disconnect {crm.displayName} first to connect {provider.displayName}.
                </Text>
              )}
            </Paper>
          </UnstyledButton>
        );
      })}
    </SimpleGrid>
  );
}
