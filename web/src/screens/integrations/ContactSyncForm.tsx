import { Alert, Button, Divider, Group, NumberInput, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useSaveContactSync } from "../../api/contact-sync.ts";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import type { ContactSyncSettings } from "../../api/types.ts";
import { ContactSyncErrorAlert } from "./ContactSyncErrorAlert.tsx";
import { handleWarning, maxWritesLimit, sameDraft, toDraft, toInput, validate, type ContactSyncDraft } from "./contactSyncDraft.ts";
import { FieldMappingEditor } from "./FieldMappingEditor.tsx";
import { LifecycleStagesField } from "./LifecycleStagesField.tsx";
import { ModeField } from "./ModeField.tsx";
import { SourceField } from "./SourceField.tsx";

interface Props {
  settings: ContactSyncSettings;
  admin: boolean;
  accountSyncOn: boolean;
  /** Unsaved changes make a preview misleading: it reflects the saved settings. */
  onDirtyChange: (dirty: boolean) => void;
}

function savedMessage(settings: ContactSyncSettings, crmName: string): string {
  if (settings.mode === "off") return "Contact sync is off.";
  if (settings.needsConfirmation) return `Nothing is written to ${crmName} yet: preview the first reconcile and confirm it.`;
  if (settings.paused) return "Contact sync stays paused until you resume it.";
  return settings.mode === "inbound" ? "A run starts now when what it reads changed; follow it below." : "The new settings apply from the next reconcile.";
}

export function ContactSyncForm({ settings, admin, accountSyncOn, onDirtyChange }: Props) {
  const save = useSaveContactSync();
  const crm = useWorkspaceCrm();
  const saved = useMemo(() => toDraft(settings, accountSyncOn), [settings, accountSyncOn]);
  const [draft, setDraft] = useState<ContactSyncDraft>(saved);
  const [showErrors, setShowErrors] = useState(false);
  const dirty = !sameDraft(draft, saved);
  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange]);

  const errors = validate(draft, `${crm.displayName} ${crm.wording.contactList}`);
  const visibleErrors = showErrors ? errors : {};
  const enteringTwoWay = draft.mode === "two_way" && settings.mode !== "two_way";
  const disabled = !admin;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (Object.keys(errors).length > 0) {
      setShowErrors(true);
      return;
    }
    save.mutate(toInput(draft), {
      onSuccess: (next) => {
        setShowErrors(false);
        setDraft(toDraft(next, accountSyncOn));
        notifications.show({ color: "green", title: "Contact sync saved", message: savedMessage(next, crm.displayName) });
      },
    });
  };

  return (
    <form onSubmit={submit} aria-label="Contact sync settings" noValidate>
      <Stack gap="md">
        {save.isError && <ContactSyncErrorAlert error={save.error} title="The settings were not saved" />}
        <ModeField value={draft.mode} onChange={(mode) => setDraft({ ...draft, mode })} disabled={disabled} />
        <SourceField
          kind={draft.sourceKind}
          listId={draft.listId}
          onChange={({ kind, listId }) => setDraft({ ...draft, sourceKind: kind, listId })}
          accountSyncOn={accountSyncOn}
          disabled={disabled}
          listError={visibleErrors.listId}
        />
        {crm.wording.lifecycleStages && <LifecycleStagesField value={draft.lifecycleStages} onChange={(lifecycleStages) => setDraft({ ...draft, lifecycleStages })} disabled={disabled} />}
        <FieldMappingEditor value={draft.mapping} onChange={(mapping) => setDraft({ ...draft, mapping })} disabled={disabled} warning={draft.mode === "off" ? null : handleWarning(draft)} />
        <NumberInput
          label="Write cap per run"
          description={`Two-way: at most this many ${crm.displayName} records are created or updated per run; the rest go in the next run.`}
          value={draft.maxWritesPerRun}
          onChange={(maxWritesPerRun) => setDraft({ ...draft, maxWritesPerRun })}
          min={1}
          max={maxWritesLimit}
          allowDecimal={false}
          allowNegative={false}
          thousandSeparator=","
          error={visibleErrors.maxWritesPerRun}
          disabled={disabled}
          w={320}
        />
        <Divider />
        {enteringTwoWay && (
          <Alert color="yellow" variant="light" p="xs">
            <Text size="sm">After saving, nothing is written to {crm.displayName} until you preview the first reconcile and confirm it.</Text>
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          {dirty && (
            <Text size="sm" c="dimmed">
              Unsaved changes
            </Text>
          )}
          <Button variant="default" onClick={() => setDraft(saved)} disabled={!dirty || save.isPending}>
            Discard
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!admin || !dirty}>
            Save settings
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
