import { Group, TextInput, Tooltip } from "@mantine/core";
import { IconLock } from "@tabler/icons-react";
import type { CustomField, FieldValue } from "../../api/types.ts";
import { CrmMark } from "../../crm/CrmMark.tsx";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { formatFieldValue } from "../../components/format.ts";

/** A synced field: shown, never editable, saying why (product spec §3.3). */
export function SyncedFieldValue({ field, value }: { field: CustomField; value: FieldValue | undefined }) {
  const crmName = useWorkspaceCrm().displayName;
  const syncedTooltip = `This field is synced from ${crmName} and cannot be edited here.`;
  return (
    <Tooltip label={syncedTooltip} position="top-end">
      <TextInput
        label={
          <Group gap={6} wrap="nowrap" component="span">
            {field.label}
            <CrmMark provider={field.syncMapping?.provider} />
          </Group>
        }
        value={formatFieldValue(field, value)}
        placeholder={`No value in ${crmName}`}
        readOnly
        aria-readonly
        aria-description={syncedTooltip}
        rightSection={<IconLock size={16} aria-label="Locked" />}
        data-field={field.key}
        data-synced
        styles={{ input: { backgroundColor: "var(--mantine-color-gray-0)", cursor: "not-allowed" } }}
      />
    </Tooltip>
  );
}
