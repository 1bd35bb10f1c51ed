import { MultiSelect } from "@mantine/core";
import { lifecycleStages } from "../../components/lifecycle.ts";

interface Props {
  value: string[];
  onChange: (value: string[]) => void;
  disabled: boolean;
}

/** The stages to bring in (spec §4.1). Stages a portal added itself are kept when already chosen. */
export function LifecycleStagesField({ value, onChange, disabled }: Props) {
  const known = new Set<string>(lifecycleStages.map((s) => s.value));
  const data = [...lifecycleStages, ...value.filter((v) => !known.has(v)).map((v) => ({ value: v, label: v }))];
  return (
    <MultiSelect
      label="Lifecycle stages to bring in"
      description="Applies when a contact is first imported only: contacts already in crmsync stay when their stage later changes. Empty brings in every stage. The stage becomes a tag (lifecycle:customer)."
      placeholder={value.length === 0 ? "Every stage" : undefined}
      data={data}
      value={value}
      onChange={onChange}
      disabled={disabled}
      searchable
      clearable
      maw={640}
    />
  );
}
