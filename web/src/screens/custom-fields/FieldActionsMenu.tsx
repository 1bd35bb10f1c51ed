import { ActionIcon, Menu, Text } from "@mantine/core";
import { modals } from "@mantine/modals";
import { notifications } from "@mantine/notifications";
import { IconDots, IconLinkOff, IconRefresh, IconTrash } from "@tabler/icons-react";
import { errorMessage } from "../../api/client.ts";
import { useDeleteField, useRemoveSyncMapping } from "../../api/fields.ts";
import { useRefreshFieldDefinition } from "../../api/account-sync.ts";
import type { CustomField } from "../../api/types.ts";
import { useCrmNames } from "../../crm/useCrmName.ts";

/** The ··· menu of a field row; deleting asks first, since every value of the field goes too. */
export function FieldActionsMenu({ field, canEdit }: { field: CustomField; canEdit: boolean }) {
  const remove = useDeleteField();
  const unmap = useRemoveSyncMapping();
  const refresh = useRefreshFieldDefinition();
  const crmName = useCrmNames()(field.syncMapping?.provider);
  const refreshDefinition = () =>
    refresh.mutate(field, {
      onSuccess: (updated) => notifications.show({ color: "green", title: "Definition refreshed", message: `“${updated.label}” has ${crmName}'s current label and options.` }),
      onError: (error) => notifications.show({ color: "red", title: "The definition was not refreshed", message: errorMessage(error) }),
    });

  const confirmUnmap = () =>
    modals.openConfirmModal({
      title: `Stop syncing “${field.label}” from ${crmName}?`,
      children: (
        <Text size="sm">
          The field and every customer's value stay, and become editable here. {crmName} no longer writes it: later changes of the {crmName} property{" "}
          <code>{field.syncMapping?.property}</code> are not taken in.
        </Text>
      ),
      labels: { confirm: "Remove mapping", cancel: "Cancel" },
      onConfirm: () =>
        unmap.mutate(field, {
          onSuccess: () => notifications.show({ color: "green", title: "Mapping removed", message: `“${field.label}” is now an ordinary field.` }),
          onError: (error) => notifications.show({ color: "red", title: "The mapping was not removed", message: errorMessage(error) }),
        }),
    });

  const confirmDelete = () =>
    modals.openConfirmModal({
      title: `Delete field “${field.label}”?`,
      children: (
        <Text size="sm">
          This deletes the field and its value on every customer
          {field.syncMapping ? `, and stops syncing it from the ${crmName} property ` : ""}
          {field.syncMapping && <code>{field.syncMapping.property}</code>}. This cannot be undone.
        </Text>
      ),
      labels: { confirm: "Delete field", cancel: "Cancel" },
      confirmProps: { color: "red" },
      onConfirm: () =>
        remove.mutate(field, {
          onSuccess: () => notifications.show({ color: "green", title: "Field deleted", message: `“${field.label}” and its values were deleted.` }),
          onError: (error) => notifications.show({ color: "red", title: "The field was not deleted", message: errorMessage(error) }),
        }),
    });

  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${field.label}`}>
          <IconDots size={18} aria-hidden />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        {field.syncMapping && (
          <Menu.Item leftSection={<IconRefresh size={16} aria-hidden />} onClick={refreshDefinition} disabled={!canEdit}>
            Refresh definition from {crmName}
          </Menu.Item>
        )}
        {field.syncMapping && (
          <Menu.Item leftSection={<IconLinkOff size={16} aria-hidden />} onClick={confirmUnmap} disabled={!canEdit}>
            Remove {crmName} mapping
          </Menu.Item>
        )}
        <Menu.Item color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={confirmDelete} disabled={!canEdit}>
          Delete field
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
