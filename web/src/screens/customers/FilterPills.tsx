import { Button, Group, Pill } from "@mantine/core";
import type { CustomField } from "../../api/types.ts";
import { describeFilter, type ActiveFilter } from "./filters.ts";

interface Props {
  filters: ActiveFilter[];
  fields: CustomField[];
  onRemove: (filter: ActiveFilter) => void;
  onClear: () => void;
}

export function FilterPills({ filters, fields, onRemove, onClear }: Props) {
  if (filters.length === 0) return null;
  return (
    <Group gap="xs" role="group" aria-label="Active filters">
      {filters.map((filter) => {
        const text = describeFilter(filter, fields.find((f) => f.key === filter.key));
        return (
          <Pill key={`${filter.key}:${filter.op}`} size="md" withRemoveButton onRemove={() => onRemove(filter)} removeButtonProps={{ "aria-label": `Remove filter ${text}`, "aria-hidden": false, tabIndex: 0 }}>
            {text}
          </Pill>
        );
      })}
      {filters.length > 1 && (
        <Button variant="subtle" size="compact-sm" onClick={onClear}>
          Clear filters
        </Button>
      )}
    </Group>
  );
}
