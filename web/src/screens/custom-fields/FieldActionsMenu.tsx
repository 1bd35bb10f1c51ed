import { ActionIcon, Menu, Text } from "@mantine/core";
import { modals } from "@mantine/modals";
import { notifications } from "@mantine/notifications";
import { IconDots, IconRefresh, IconTrash } from "@tabler/icons-react";
import { errorMessage } from "../../api/client.ts";
import { useDeleteField } from "../../api/fields.ts";
import { useRefreshFieldDefinition } from "../../api/account-sync.ts";
import type { CustomField } from "../../api/types.ts";
import { useCrmNames } from "../../crm/useCrmName.ts";

/** The ··· menu of a field row; deleting asks first, since every value of the field goes too. */
export function FieldActionsMenu({ field, canEdit }: { field: CustomField; canEdit: boolean }) {
  const remove = useDeleteField();
  const refresh = useRefreshFieldDefinition();
  const crmName = useCrmNames()(field.syncMapping?.provider);
  const refreshDefinition = () =>
    refresh.mutate(field, {
      onSuccess: (updated) => notifications.show({ color: "green", title: "Definition refreshed", message: `“${updated.label}” has ${crmName}'s current label and options.` }),
      onError: (error) => notifications.show({ color: "red", title: "The definition was not refreshed", message: errorMessage(error) }),
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
        <Menu.Item color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={confirmDelete} disabled={!canEdit}>
          Delete field
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
