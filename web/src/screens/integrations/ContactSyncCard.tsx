import { Divider, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useContactSyncWithRefresh } from "../../api/contact-sync.ts";
import { isActive } from "../../api/sync-runs.ts";
import { ErrorAlert } from "../../components/ErrorAlert.tsx";
import { LoadingBlock } from "../../components/Loading.tsx";
import { ContactSyncActions } from "./ContactSyncActions.tsx";
import { ContactSyncForm } from "./ContactSyncForm.tsx";
import { ContactSyncBadges, ContactSyncStatus } from "./ContactSyncStatus.tsx";
import { RecentContactRuns } from "./RecentContactRuns.tsx";
import { TwoWayConfirmation } from "./TwoWayConfirmation.tsx";

interface Props {
  admin: boolean;
  connected: boolean;
  /** The CRM's name, from the connection answer. */
  name: string;
  /** Undefined while account sync's state loads: the source choice depends on it. */
  accountSyncOn: boolean | undefined;
}

export function ContactSyncCard({ admin, connected, name, accountSyncOn }: Props) {
  const settings = useContactSyncWithRefresh();
  const [dirty, setDirty] = useState(false);
  const data = settings.data;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label="Contact sync">
      <Group justify="space-between" align="flex-start" mb="xs">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={4}>Contact sync</Title>
            {data && <ContactSyncBadges settings={data} />}
          </Group>
          <Text size="sm" c="dimmed" maw={640}>
            {name} contacts and crmsync contacts: inbound once a day, or two-way with pushes within seconds and a nightly reconcile. Off by default.
          </Text>
        </Stack>
        {data && connected && <ContactSyncActions settings={data} admin={admin} />}
      </Group>
      {settings.isError ? (
        <ErrorAlert error={settings.error} title="Contact sync settings could not be loaded" onRetry={() => void settings.refetch()} />
      ) : settings.isPending || accountSyncOn === undefined ? (
        <LoadingBlock label="Loading contact sync" />
      ) : !connected ? (
        <Text size="sm">Connect {name} first.</Text>
      ) : (
        <Stack gap="md">
          <ContactSyncStatus settings={settings.data} />
          {settings.data.needsConfirmation && <TwoWayConfirmation settings={settings.data} admin={admin} dirty={dirty} />}
          <Divider />
          <ContactSyncForm key={String(accountSyncOn)} settings={settings.data} admin={admin} accountSyncOn={accountSyncOn} onDirtyChange={setDirty} />
          <Divider />
          <RecentContactRuns live={isActive(settings.data.activeRun)} />
        </Stack>
      )}
    </Paper>
  );
}
