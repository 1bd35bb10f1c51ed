import { SegmentedControl, Stack, Text } from "@mantine/core";
import type { ContactSyncMode } from "../../api/types.ts";

const modes: { value: ContactSyncMode; label: string; description: string }[] = [
  { value: "off", label: "Off", description: "Nothing is read from or written to HubSpot contacts." },
  { value: "inbound", label: "Inbound", description: "HubSpot → crmsync, every 24 hours and on Run now. Nothing is written to HubSpot." },
  {
    value: "two_way",
    label: "Two-way",
    description: "Contacts created here reach HubSpot within seconds, and a nightly reconcile settles both sides field by field. Nothing is written until you preview and confirm the first reconcile.",
  },
];

export const modeLabels: Record<ContactSyncMode, string> = { off: "Off", inbound: "Inbound", two_way: "Two-way" };

export function ModeField({ value, onChange, disabled }: { value: ContactSyncMode; onChange: (mode: ContactSyncMode) => void; disabled: boolean }) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id="contact-sync-mode">
        Mode
      </Text>
      <SegmentedControl
        aria-labelledby="contact-sync-mode"
        value={value}
        onChange={(mode) => onChange(mode as ContactSyncMode)}
        data={modes.map(({ value: v, label }) => ({ value: v, label }))}
        disabled={disabled}
        style={{ alignSelf: "flex-start" }}
      />
      <Text size="xs" c="dimmed" maw={640}>
        {modes.find((m) => m.value === value)?.description}
      </Text>
    </Stack>
  );
}
