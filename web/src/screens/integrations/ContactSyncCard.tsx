import { Badge, Group, Paper, Text, Title } from "@mantine/core";
import { useContactSync } from "../../api/contact-sync.ts";
import { ErrorAlert } from "../../components/ErrorAlert.tsx";
import { LoadingBlock } from "../../components/Loading.tsx";
import { ContactSyncForm } from "./ContactSyncForm.tsx";

export function ContactSyncCard({ admin, connected, accountSyncOn }: { admin: boolean; connected: boolean; accountSyncOn: boolean }) {
  const settings = useContactSync();
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label="Contact sync">
      <Group gap="sm" mb="xs">
        <Title order={4}>Contact sync</Title>
        {settings.data === null && (
          <Badge color="gray" variant="light">
            Coming soon
          </Badge>
        )}
      </Group>
      <Text size="sm" c="dimmed" mb="md" maw={640}>
        HubSpot contacts and crmsync contacts: inbound once a day, or two-way with pushes within seconds and a nightly reconcile. Off by default.
      </Text>
      {settings.isError ? (
        <ErrorAlert error={settings.error} title="Contact sync settings could not be loaded" onRetry={() => void settings.refetch()} />
      ) : settings.isPending ? (
        <LoadingBlock />
      ) : settings.data === null ? (
        <Text size="sm">Contact sync is coming soon: this server does not offer it yet.</Text>
      ) : !connected ? (
        <Text size="sm">Connect HubSpot first.</Text>
      ) : (
        <ContactSyncForm key={JSON.stringify(settings.data)} settings={settings.data} admin={admin} accountSyncOn={accountSyncOn} />
      )}
    </Paper>
  );
}
