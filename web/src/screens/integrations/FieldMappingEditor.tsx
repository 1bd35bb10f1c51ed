import { Alert, Badge, Group, Stack, Table, Text, TextInput } from "@mantine/core";
import { mappedFieldLabels } from "../../api/contact-sync.ts";
import { mappingKeys, type MappingKey } from "./contactSyncDraft.ts";

const notes: Record<MappingKey, string> = {
  firstName: "With last name, makes the contact's name",
  lastName: "With first name, makes the contact's name",
  email: "Handle, optional: matches existing contacts",
  phone: "Handle, optional: matches existing contacts",
};

interface Props {
  value: Record<MappingKey, string>;
  onChange: (value: Record<MappingKey, string>) => void;
  disabled: boolean;
  warning: string | null;
}

/** HubSpot contact property per contact field (spec §4.2); an empty property stops that field syncing. */
export function FieldMappingEditor({ value, onChange, disabled, warning }: Props) {
  return (
    <Stack gap={6} role="group" aria-labelledby="contact-mapping-label">
      <Text size="sm" fw={500} id="contact-mapping-label">
        Field mapping
      </Text>
      <Text size="xs" c="dimmed">
        HubSpot contact property → crmsync contact field. Leave a property empty to stop syncing that field.
      </Text>
      <Table withRowBorders={false} verticalSpacing={4} maw={720} aria-label="Field mapping">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={260}>HubSpot property</Table.Th>
            <Table.Th w={24} />
            <Table.Th>Contact field</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {mappingKeys.map((key) => (
            <Table.Tr key={key}>
              <Table.Td>
                <TextInput
                  aria-label={`HubSpot property for ${mappedFieldLabels[key]}`}
                  placeholder="not synced"
                  value={value[key]}
                  onChange={(e) => onChange({ ...value, [key]: e.currentTarget.value })}
                  disabled={disabled}
                  size="xs"
                  ff="monospace"
                />
              </Table.Td>
              <Table.Td c="dimmed" aria-hidden>
                →
              </Table.Td>
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <Text size="sm" fw={500} className="nowrap">
                    {mappedFieldLabels[key]}
                  </Text>
                  {value[key].trim() === "" && (
                    <Badge size="xs" color="gray" variant="light" tt="none" style={{ flex: "none" }}>
                      not synced
                    </Badge>
                  )}
                </Group>
                <Text size="xs" c="dimmed">
                  {notes[key]}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {warning && (
        <Alert color="yellow" variant="light" p="xs" maw={640}>
          <Text size="xs">{warning}</Text>
        </Alert>
      )}
    </Stack>
  );
}
