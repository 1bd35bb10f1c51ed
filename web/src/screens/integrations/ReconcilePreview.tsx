import { Alert, Button, Group, List, Stack, Text } from "@mantine/core";
import type { ContactSyncPreview } from "../../api/types.ts";

interface Props {
  preview: ContactSyncPreview;
  onConfirm: () => void;
  onCancel: () => void;
  confirming: boolean;
}

/** The dry run shown before the first two-way reconcile writes anything to HubSpot (spec §4.4). */
export function ReconcilePreview({ preview, onConfirm, onCancel, confirming }: Props) {
  return (
    <Alert color="yellow" variant="light" title="Dry run: what the first reconcile would do" role="status">
      <Stack gap="xs">
        <Text size="sm">
          Create <b>{preview.toCreate}</b> and update <b>{preview.toUpdate}</b> records. Nothing is deleted in HubSpot.
        </Text>
        {preview.sample.length > 0 && (
          <List size="sm" spacing={2}>
            {preview.sample.map((item, i) => (
              <List.Item key={i}>
                {item.action === "create" ? "Create" : "Update"} {item.name ?? "(no name)"} {item.email ? `<${item.email}>` : ""}
              </List.Item>
            ))}
          </List>
        )}
        <Group gap="sm">
          <Button color="orange" onClick={onConfirm} loading={confirming}>
            Confirm and run
          </Button>
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
