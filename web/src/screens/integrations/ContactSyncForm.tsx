import { Alert, Button, Group, MultiSelect, Radio, SegmentedControl, Stack, Switch, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconPlayerPlay } from "@tabler/icons-react";
import { useState, type FormEvent } from "react";
import { errorMessage } from "../../api/client.ts";
import { usePreviewContactSync, useRunContactSync, useSaveContactSync } from "../../api/contact-sync.ts";
import { useFields } from "../../api/fields.ts";
import type { ContactSyncMode, ContactSyncPreview, ContactSyncSettings } from "../../api/types.ts";
import { FieldMappingEditor } from "./FieldMappingEditor.tsx";
import { ReconcilePreview } from "./ReconcilePreview.tsx";

const stages = [
  { value: "subscriber", label: "Subscriber" },
  { value: "lead", label: "Lead" },
  { value: "marketingqualifiedlead", label: "Marketing qualified lead" },
  { value: "salesqualifiedlead", label: "Sales qualified lead" },
  { value: "opportunity", label: "Opportunity" },
  { value: "customer", label: "Customer" },
  { value: "evangelist", label: "Evangelist" },
  { value: "other", label: "Other" },
];

export function ContactSyncForm({ settings, admin, accountSyncOn }: { settings: ContactSyncSettings; admin: boolean; accountSyncOn: boolean }) {
  const save = useSaveContactSync();
  const preview = usePreviewContactSync();
  const run = useRunContactSync();
  const contactFields = useFields("contact").data ?? [];
  const [draft, setDraft] = useState(settings);
  const [shownPreview, setShownPreview] = useState<ContactSyncPreview | null>(null);
  const needsDryRun = draft.mode === "two_way" && !settings.reconcileConfirmedAt;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { lastRun: _lastRun, reconcileConfirmedAt: _confirmed, ...body } = draft;
    save.mutate(body, { onSuccess: () => notifications.show({ color: "green", title: "Contact sync saved", message: "The new settings apply from the next run." }) });
  };

  const runNow = (confirmReconcile = false) =>
    run.mutate(
      { confirmReconcile },
      {
        onSuccess: () => {
          setShownPreview(null);
          notifications.show({ color: "blue", title: "Contact sync started", message: "Follow it in Sync activity." });
        },
      },
    );

  const error = save.error ?? preview.error ?? run.error;
  return (
    <form onSubmit={submit} aria-label="Contact sync settings">
      <Stack gap="md">
        {error && (
          <Alert color="red" variant="light" role="alert">
            {errorMessage(error)}
          </Alert>
        )}
        <Group gap="xl">
          <Switch label="Contact sync on" checked={draft.enabled} onChange={(e) => setDraft({ ...draft, enabled: e.currentTarget.checked })} disabled={!admin} />
          <Switch label="Paused" checked={draft.paused} onChange={(e) => setDraft({ ...draft, paused: e.currentTarget.checked })} disabled={!admin || !draft.enabled} />
        </Group>
        <Stack gap={4}>
          <Text size="sm" fw={500} id="contact-sync-mode">
            Mode
          </Text>
          <SegmentedControl
            aria-labelledby="contact-sync-mode"
            value={draft.mode}
            onChange={(mode) => setDraft({ ...draft, mode: mode as ContactSyncMode })}
            data={[
              { value: "inbound", label: "Inbound (HubSpot → crmsync, daily)" },
              { value: "two_way", label: "Two-way (pushes + nightly reconcile)" },
            ]}
            disabled={!admin}
            style={{ alignSelf: "flex-start" }}
          />
        </Stack>
        <Radio.Group
          label="Source"
          value={draft.source.kind}
          onChange={(kind) => setDraft({ ...draft, source: kind === "list" ? { kind: "list", listId: draft.source.kind === "list" ? draft.source.listId : "" } : { kind: "linked_companies" } })}
        >
          <Stack gap={6} mt={4}>
            <Radio value="linked_companies" label="Contacts of the companies account sync linked" disabled={!admin || !accountSyncOn} description={accountSyncOn ? undefined : "Needs HubSpot Sync on."} />
            <Radio value="list" label="Members of a HubSpot list" disabled={!admin} />
          </Stack>
        </Radio.Group>
        {draft.source.kind === "list" && (
          <TextInput
            label="HubSpot list id"
            value={draft.source.listId}
            onChange={(e) => setDraft({ ...draft, source: { kind: "list", listId: e.currentTarget.value } })}
            w={240}
            disabled={!admin}
          />
        )}
        <MultiSelect
          label="Lifecycle stages to bring in"
          description="Applies when a contact is first imported; the stage becomes a tag."
          data={stages}
          value={draft.lifecycleStages}
          onChange={(lifecycleStages) => setDraft({ ...draft, lifecycleStages })}
          disabled={!admin}
          maw={560}
        />
        <FieldMappingEditor
          value={draft.fieldMapping}
          onChange={(fieldMapping) => setDraft({ ...draft, fieldMapping })}
          extraTargets={contactFields.map((f) => ({ value: f.key, label: f.label }))}
        />
        {shownPreview && <ReconcilePreview preview={shownPreview} confirming={run.isPending} onConfirm={() => runNow(true)} onCancel={() => setShownPreview(null)} />}
        <Group justify="space-between">
          {needsDryRun ? (
            <Button
              variant="default"
              leftSection={<IconPlayerPlay size={16} aria-hidden />}
              onClick={() => preview.mutate(undefined, { onSuccess: setShownPreview })}
              loading={preview.isPending}
              disabled={!admin || !settings.enabled}
            >
              Preview first reconcile
            </Button>
          ) : (
            <Button variant="default" leftSection={<IconPlayerPlay size={16} aria-hidden />} onClick={() => runNow()} loading={run.isPending} disabled={!admin || !settings.enabled}>
              Run now
            </Button>
          )}
          <Button type="submit" loading={save.isPending} disabled={!admin}>
            Save settings
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
