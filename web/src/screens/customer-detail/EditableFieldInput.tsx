import { MultiSelect, NativeSelect, TextInput } from "@mantine/core";
import type { CustomField } from "../../api/types.ts";
import type { Draft } from "./fieldDraft.ts";

interface Props {
  field: CustomField;
  value: Draft;
  onChange: (value: Draft) => void;
  error?: string | undefined;
}

export function EditableFieldInput({ field, value, onChange, error }: Props) {
  const common = { label: field.label, error, "data-field": field.key };
  switch (field.type) {
    case "multi_select":
      return (
        <MultiSelect
          {...common}
          data={field.options.map((o) => ({ value: o.value, label: o.label }))}
          value={Array.isArray(value) ? value : []}
          onChange={onChange}
          clearable
          placeholder="None"
        />
      );
    case "select":
      return (
        <NativeSelect
          {...common}
          data={[{ value: "", label: "—" }, ...field.options.map((o) => ({ value: o.value, label: o.label }))]}
          value={typeof value === "string" ? value : ""}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    case "yes_no":
      return (
        <NativeSelect
          {...common}
          data={[
            { value: "", label: "—" },
            { value: "true", label: "Yes" },
            { value: "false", label: "No" },
          ]}
          value={typeof value === "string" ? value : ""}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    default:
      return (
        <TextInput
          {...common}
          type={field.type === "number" ? "number" : field.type === "date" ? "date" : "text"}
          step={field.type === "number" ? "any" : undefined}
          value={typeof value === "string" ? value : ""}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
  }
}
