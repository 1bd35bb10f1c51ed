import { SegmentedControl, Stack, Text } from "@mantine/core";
import type { ContactSyncMode } from "../../api/types.ts";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";

const modes = (crmName: string): { value: ContactSyncMode; label: string; description: string }[] => [
  { value: "off", label: "Off", description: `Nothing is read from or written to ${crmName} contacts.` },
  { value: "inbound", label: "Inbound", description: `${crmName} → crmsync, every 24 hours and on Run now. Nothing is written to ${crmName}.` },
  {
    value: "two_way",
    label: "Two-way",
    description: `Contacts created here reach ${crmName} within seconds, and a nightly reconcile settles both sides field by field. Nothing is written until you preview and confirm the first reconcile.`,
  },
];

export const modeLabels: Record<ContactSyncMode, string> = { off: "Off", inbound: "Inbound", two_way: "Two-way" };

export function ModeField({ value, onChange, disabled }: { value: ContactSyncMode; onChange: (mode: ContactSyncMode) => void; disabled: boolean }) {
  const choices = modes(useWorkspaceCrm().displayName);
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id="contact-sync-mode">
        Mode
      </Text>
      <SegmentedControl
        aria-labelledby="contact-sync-mode"
        value={value}
        onChange={(mode) => onChange(mode as ContactSyncMode)}
        data={choices.map(({ value: v, label }) => ({ value: v, label }))}
        disabled={disabled}
        style={{ alignSelf: "flex-start" }}
      />
      <Text size="xs" c="dimmed" maw={640}>
        {choices.find((m) => m.value === value)?.description}
      </Text>
    </Stack>
  );
}
