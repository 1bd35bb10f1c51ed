import { MultiSelect, NativeSelect, TextInput } from "@mantine/core";
import type { CustomField } from "../../api/types.ts";
import type { FilterOp } from "./filters.ts";

interface Props {
  field: CustomField;
  op: FilterOp;
  value: string;
  onChange: (value: string) => void;
}

/** The value part of a filter, shaped by the field's type; `in` lists are comma-separated as the API takes them. */
export function FilterValueInput({ field, op, value, onChange }: Props) {
  const list = op === "in";
  if (field.type === "select" || field.type === "multi_select") {
    const options = field.options.map((o) => ({ value: o.value, label: o.label }));
    if (list) {
      return <MultiSelect label="Values" data={options} value={value ? value.split(",") : []} onChange={(values) => onChange(values.join(","))} comboboxProps={{ withinPortal: false }} />;
    }
    return <NativeSelect label="Value" data={[{ value: "", label: "Choose…" }, ...options]} value={value} onChange={(e) => onChange(e.currentTarget.value)} />;
  }
  if (field.type === "yes_no") {
    return (
      <NativeSelect
        label="Value"
        data={[
          { value: "", label: "Choose…" },
          { value: "true", label: "Yes" },
          { value: "false", label: "No" },
        ]}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
      />
    );
  }
  if (list) {
    return <TextInput label="Values" description="Separate values with commas" value={value} onChange={(e) => onChange(e.currentTarget.value)} />;
  }
  const type = field.type === "number" ? "number" : field.type === "date" ? "date" : "text";
  return <TextInput label="Value" type={type} inputMode={type === "number" ? "decimal" : undefined} value={value} onChange={(e) => onChange(e.currentTarget.value)} />;
}
