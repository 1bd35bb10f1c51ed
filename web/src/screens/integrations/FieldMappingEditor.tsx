import { ActionIcon, Button, Group, NativeSelect, Stack, Text, TextInput } from "@mantine/core";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import type { ContactFieldMapping } from "../../api/types.ts";

const targets = [
  { value: "firstName", label: "First name" },
  { value: "lastName", label: "Last name" },
  { value: "emails", label: "Email (handle)" },
  { value: "phones", label: "Phone (handle)" },
  { value: "tags", label: "Tags" },
];

interface Props {
  value: ContactFieldMapping[];
  onChange: (value: ContactFieldMapping[]) => void;
  extraTargets: { value: string; label: string }[];
}

/** HubSpot contact property → contact field rows (product spec §4.2). */
export function FieldMappingEditor({ value, onChange, extraTargets }: Props) {
  const all = [...targets, ...extraTargets];
  const set = (index: number, patch: Partial<ContactFieldMapping>) => onChange(value.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <Stack gap="xs" role="group" aria-label="Field mapping">
      <Text size="sm" fw={500}>
        Field mapping
      </Text>
      <Text size="xs" c="dimmed">
        firstname and lastname together make the contact's name. Map an email or phone so existing contacts are matched instead of duplicated.
      </Text>
      {value.map((row, index) => (
        <Group key={index} gap="xs" wrap="nowrap">
          <TextInput aria-label={`HubSpot property ${index + 1}`} placeholder="HubSpot property, e.g. email" value={row.property} onChange={(e) => set(index, { property: e.currentTarget.value })} w={240} />
          <Text size="sm" c="dimmed">
            →
          </Text>
          <NativeSelect aria-label={`Contact field ${index + 1}`} data={all} value={row.field} onChange={(e) => set(index, { field: e.currentTarget.value })} w={200} />
          <ActionIcon variant="subtle" color="red" aria-label={`Remove mapping ${index + 1}`} onClick={() => onChange(value.filter((_, i) => i !== index))}>
            <IconTrash size={16} aria-hidden />
          </ActionIcon>
        </Group>
      ))}
      <Button variant="subtle" size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => onChange([...value, { property: "", field: "emails" }])} style={{ alignSelf: "flex-start" }}>
        Add mapping
      </Button>
    </Stack>
  );
}
