import { Button, Group, NativeSelect, Popover, Stack } from "@mantine/core";
import { IconFilter } from "@tabler/icons-react";
import { useState, type FormEvent } from "react";
import type { CustomField } from "../../api/types.ts";
import { FilterValueInput } from "./FilterValueInput.tsx";
import { needsValue, opLabel, opsByType, type ActiveFilter, type FilterOp } from "./filters.ts";

interface Props {
  fields: CustomField[];
  onAdd: (filter: ActiveFilter) => void;
}

export function AddFilterPopover({ fields, onAdd }: Props) {
  const [opened, setOpened] = useState(false);
  const [key, setKey] = useState("");
  const [op, setOp] = useState<FilterOp>("eq");
  const [value, setValue] = useState("");
  const field = fields.find((f) => f.key === key);
  const ops = field ? opsByType[field.type] : [];

  const chooseField = (nextKey: string) => {
    setKey(nextKey);
    const next = fields.find((f) => f.key === nextKey);
    setOp(next ? (opsByType[next.type][0] ?? "eq") : "eq");
    setValue("");
  };

  const ready = field !== undefined && (!needsValue(op) || value.trim() !== "");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    onAdd({ key, op, value: needsValue(op) ? value.trim() : "1" });
    setOpened(false);
    setKey("");
    setValue("");
  };

  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-start" width={300} trapFocus withArrow shadow="md">
      <Popover.Target>
        <Button variant="default" leftSection={<IconFilter size={16} aria-hidden />} onClick={() => setOpened((o) => !o)} disabled={fields.length === 0}>
          Add filter
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <form onSubmit={submit} aria-label="Add filter">
          <Stack gap="sm">
            <NativeSelect
              label="Field"
              data={[{ value: "", label: "Choose a field…" }, ...fields.map((f) => ({ value: f.key, label: f.label }))]}
              value={key}
              onChange={(e) => chooseField(e.currentTarget.value)}
            />
            {field && (
              <NativeSelect
                label="Condition"
                data={ops.map((o) => ({ value: o, label: opLabel(field.type, o) }))}
                value={op}
                onChange={(e) => {
                  setOp(e.currentTarget.value as FilterOp);
                  setValue("");
                }}
              />
            )}
            {field && needsValue(op) && <FilterValueInput field={field} op={op} value={value} onChange={setValue} />}
            <Group justify="flex-end">
              <Button type="submit" disabled={!ready}>
                Apply filter
              </Button>
            </Group>
          </Stack>
        </form>
      </Popover.Dropdown>
    </Popover>
  );
}
