import { Alert, Badge, Button, Group, Loader, Select, Stack, Table, Text } from "@mantine/core";
import { mappedFieldLabels, useContactProperties } from "../../api/contact-sync.ts";
import type { CrmContactProperty } from "../../api/types.ts";
import { mappingKeys, type MappingKey } from "./contactSyncDraft.ts";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { choicesError, fitsField, propertyLabel } from "./crmChoices.ts";

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

interface PropertySelectProps {
  field: MappingKey;
  value: string;
  onChange: (name: string) => void;
  properties: CrmContactProperty[] | undefined;
  loading: boolean;
  failed: boolean;
  disabled: boolean;
}

/** The text-like properties that fit a field; the mapped one always shows, even when the CRM no longer has it. */
function PropertySelect({ field, value, onChange, properties, loading, failed, disabled }: PropertySelectProps) {
  const crmName = useWorkspaceCrm().displayName;
  const fitting = (properties ?? []).filter((p) => fitsField(field, p));
  const mapped = value === "" ? undefined : properties?.find((p) => p.name === value);
  const options = mapped && !fitting.includes(mapped) ? [mapped, ...fitting] : [...fitting];
  const byName = new Map(options.map((p) => [p.name, p]));
  // Loaded, and not there (deleted, or hidden): a run reports crm_field_not_found for a deleted one.
  const missing = value !== "" && properties !== undefined && mapped === undefined;
  const data = options.map((p) => ({ value: p.name, label: propertyLabel(p) }));
  if (value !== "" && !byName.has(value)) data.unshift({ value, label: value });
  return (
    <Select
      aria-label={`${crmName} property for ${mappedFieldLabels[field]}`}
      placeholder="not synced"
      data={data}
      value={value === "" ? null : value}
      onChange={(name) => onChange(name ?? "")}
      searchable
      clearable
      // Mantine hides its clear button from keyboards and screen readers; it is the way to stop syncing a field.
      clearButtonProps={{ "aria-label": `Clear ${crmName} property for ${mappedFieldLabels[field]}`, "aria-hidden": false, tabIndex: 0 }}
      nothingFoundMessage={loading ? "Loading properties…" : failed ? `${crmName}'s properties could not be loaded.` : "No text property matches."}
      rightSection={loading ? <Loader size={12} aria-label={`Loading ${crmName} properties`} /> : undefined}
      renderOption={({ option }) => {
        const property = byName.get(option.value);
        return (
          <Stack gap={0}>
            <Text size="sm">{property?.label ?? option.value}</Text>
            <Text size="xs" c="dimmed" ff="monospace">
              {missing && option.value === value ? `${value} · not in ${crmName}` : option.value}
            </Text>
          </Stack>
        );
      }}
      error={missing ? `Not among ${crmName}'s contact properties` : undefined}
      disabled={disabled}
      size="xs"
      maxDropdownHeight={260}
      comboboxProps={{ width: 320, position: "bottom-start" }}
    />
  );
}

/** The CRM's contact property per contact field (spec §4.2); an empty property stops that field syncing. */
export function FieldMappingEditor({ value, onChange, disabled, warning }: Props) {
  const properties = useContactProperties();
  const crmName = useWorkspaceCrm().displayName;
  return (
    <Stack gap={6} role="group" aria-labelledby="contact-mapping-label">
      <Text size="sm" fw={500} id="contact-mapping-label">
        Field mapping
      </Text>
      <Text size="xs" c="dimmed">
        {crmName} contact property → crmsync contact field. Clear a property to stop syncing that field.
      </Text>
      {properties.isError && (
        <Alert color="red" variant="light" p="xs" maw={720} role="alert">
          <Group justify="space-between" wrap="nowrap">
            <Text size="xs">{choicesError(properties.error, crmName, "contact properties")} The mapped names still show and can be saved.</Text>
            <Button size="compact-xs" variant="white" color="red" onClick={() => void properties.refetch()} loading={properties.isFetching} style={{ flex: "none" }}>
              Try again
            </Button>
          </Group>
        </Alert>
      )}
      <Table withRowBorders={false} verticalSpacing={4} maw={720} aria-label="Field mapping">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={280}>{crmName} property</Table.Th>
            <Table.Th w={24} />
            <Table.Th>Contact field</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {mappingKeys.map((key) => (
            <Table.Tr key={key}>
              <Table.Td>
                <PropertySelect
                  field={key}
                  value={value[key]}
                  onChange={(name) => onChange({ ...value, [key]: name })}
                  properties={properties.data}
                  loading={properties.isPending}
                  failed={properties.isError}
                  disabled={disabled}
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
