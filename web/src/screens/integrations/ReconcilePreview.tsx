import { Alert, Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { mappedFieldLabels } from "../../api/contact-sync.ts";
import type { ContactSyncPreview, PreviewAction } from "../../api/types.ts";
import { formatNumber } from "../../components/format.ts";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";

const actionLabels = (crmName: string): Record<PreviewAction, { label: string; color: string }> => ({
  create_in_crm: { label: `Create in ${crmName}`, color: "orange" },
  update_in_crm: { label: `Update in ${crmName}`, color: "orange" },
  create_here: { label: "Create in crmsync", color: "blue" },
  update_here: { label: "Update in crmsync", color: "blue" },
  link: { label: "Link", color: "gray" },
});

function Count({ label, value }: { label: string; value: number }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg" aria-label={`${label}: ${value}`}>
        {formatNumber(value)}
      </Text>
    </div>
  );
}

function fieldLabel(field: string): string {
  return field in mappedFieldLabels ? mappedFieldLabels[field as keyof typeof mappedFieldLabels] : field;
}

function changesText(changes: Record<string, string | null>): string {
  const entries = Object.entries(changes);
  if (entries.length === 0) return "—";
  return entries.map(([field, value]) => `${fieldLabel(field)}: ${value ?? "(empty)"}`).join(" · ");
}

/** The dry run of the first two-way reconcile (spec §4.4): counts on both sides and a sample. */
export function ReconcilePreview({ preview, maxWritesPerRun }: { preview: ContactSyncPreview; maxWritesPerRun: number }) {
  const crmWrites = preview.crm.create + preview.crm.update;
  const crmName = useWorkspaceCrm().displayName;
  const labels = actionLabels(crmName);
  const errorCodes = Object.entries(preview.errors).filter(([, n]) => n > 0);
  return (
    <Stack gap="sm" role="region" aria-label="Reconcile preview">
      {preview.stoppedBy && (
        <Alert color="red" variant="light" title={`The reconcile would stop: ${preview.stoppedBy.code}`} role="alert">
          {preview.stoppedBy.message}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <Paper withBorder p="sm" radius="md" aria-label={`In ${crmName}`}>
          <Title order={6} mb={4}>
            In {crmName}
          </Title>
          <Group gap="xl">
            <Count label={`Contacts to create in ${crmName}`} value={preview.crm.create} />
            <Count label={`Contacts to update in ${crmName}`} value={preview.crm.update} />
          </Group>
        </Paper>
        <Paper withBorder p="sm" radius="md" aria-label="In crmsync">
          <Title order={6} mb={4}>
            In crmsync
          </Title>
          <Group gap="xl">
            <Count label="Contacts to create here" value={preview.local.create} />
            <Count label="Contacts to update here" value={preview.local.update} />
            <Count label="Contacts to link" value={preview.local.link} />
          </Group>
        </Paper>
      </SimpleGrid>
      <Text size="sm" c="dimmed">
        {formatNumber(preview.skipped)} skipped. Nothing in {crmName} is ever deleted.
        {crmWrites > maxWritesPerRun ? ` The write cap lets ${formatNumber(maxWritesPerRun)} ${crmName} writes go in the first run; the rest follow in the next runs.` : ""}
      </Text>
      {errorCodes.length > 0 && (
        <Group gap={6} aria-label="Expected errors">
          <Text size="sm">Expected errors:</Text>
          {errorCodes.map(([code, n]) => (
            <Badge key={code} color="red" variant="light" tt="none">
              {code} × {formatNumber(n)}
            </Badge>
          ))}
        </Group>
      )}
      {preview.sample.length > 0 ? (
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing={4} striped aria-label="Sample of the changes">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Action</Table.Th>
                <Table.Th>Contact</Table.Th>
                <Table.Th>Values</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {preview.sample.map((item, i) => (
                <Table.Tr key={`${item.action}-${item.contactId ?? ""}-${item.crmId ?? ""}-${i}`}>
                  <Table.Td className="nowrap">
                    <Badge color={labels[item.action].color} variant="light" tt="none">
                      {labels[item.action].label}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{item.name || "(no name)"}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {changesText(item.changes)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : (
        <Text size="sm">Nothing would change: both sides already agree.</Text>
      )}
    </Stack>
  );
}
