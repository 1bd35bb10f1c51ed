import { Badge, Code, Group, Table, Text } from "@mantine/core";
import type { CustomField } from "../../api/types.ts";
import { CrmMark } from "../../crm/CrmMark.tsx";
import { useCrmNames } from "../../crm/useCrmName.ts";
import { crmWording } from "../../crm/wording.ts";
import { fieldTypeLabels, formatDateTime } from "../../components/format.ts";
import { FieldActionsMenu } from "./FieldActionsMenu.tsx";

function source(field: CustomField, crmName: (provider: string) => string): string {
  const mapping = field.syncMapping;
  if (!mapping) return "crmsync";
  const wording = crmWording(mapping.provider);
  const object = mapping.object === "company" ? wording.company.one : mapping.object === "deal" ? wording.deal.one : mapping.object;
  return `${crmName(mapping.provider)} ${object} property`;
}

export function FieldsTable({ fields, canEdit }: { fields: CustomField[]; canEdit: boolean }) {
  const crmName = useCrmNames();
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="sm" highlightOnHover aria-label="Custom fields">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Field</Table.Th>
            <Table.Th>Key</Table.Th>
            <Table.Th>Type</Table.Th>
            <Table.Th>Source</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th w={48}>
              <span className="sr-only">Actions</span>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {fields.map((field) => (
            <Table.Tr key={field.id} data-field-key={field.key}>
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <Text size="sm" fw={500}>
                    {field.label}
                  </Text>
                  {field.syncMapping && <CrmMark provider={field.syncMapping.provider} />}
                </Group>
              </Table.Td>
              <Table.Td>
                <Code>{field.key}</Code>
              </Table.Td>
              <Table.Td>
                <Group gap={6}>
                  {fieldTypeLabels[field.type]}
                  {field.options.length > 0 && (
                    <Badge variant="light" color="gray" size="sm">
                      {field.options.length} options
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{source(field, crmName)}</Text>
                {field.syncMapping && (
                  <Text size="xs" c="dimmed">
                    {field.syncMapping.property} · read-only
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm" c="dimmed">
                  {formatDateTime(field.createdAt)}
                </Text>
              </Table.Td>
              <Table.Td>
                <FieldActionsMenu field={field} canEdit={canEdit} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
