import { Checkbox, Group, Paper, Stack, Text, Title } from "@mantine/core";
import type { CrmObject, ImportableProperty } from "../../api/types.ts";
import { ImportPropertyRow } from "./ImportPropertyRow.tsx";

interface Props {
  object: CrmObject;
  title: string;
  properties: ImportableProperty[];
  selected: ReadonlySet<string>;
  onChange: (names: string[], checked: boolean) => void;
}

export const selectionKey = (object: CrmObject, name: string) => `${object}:${name}`;

/** One group (Company fields or Deal fields) with its own select-all over what can be imported. */
export function ImportGroup({ object, title, properties, selected, onChange }: Props) {
  const selectable = properties.filter((p) => p.supported && !p.alreadyImported);
  const chosen = selectable.filter((p) => selected.has(selectionKey(object, p.name))).length;
  const all = selectable.length > 0 && chosen === selectable.length;
  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-label={title}>
      <Group justify="space-between" mb="xs">
        <Title order={4}>{title}</Title>
        <Checkbox
          label={`Select all (${selectable.length})`}
          aria-label={`Select all ${title.toLowerCase()}`}
          checked={all}
          indeterminate={chosen > 0 && !all}
          disabled={selectable.length === 0}
          onChange={() =>
            onChange(
              selectable.map((p) => p.name),
              !all,
            )
          }
        />
      </Group>
      {properties.length === 0 ? (
        <Text size="sm" c="dimmed">
          No properties match.
        </Text>
      ) : (
        <Stack gap={10}>
          {properties.map((property) => (
            <ImportPropertyRow
              key={property.name}
              property={property}
              checked={selected.has(selectionKey(object, property.name))}
              onToggle={(checked) => onChange([property.name], checked)}
            />
          ))}
        </Stack>
      )}
    </Paper>
  );
}
