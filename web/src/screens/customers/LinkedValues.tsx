import { Group, Table, Text } from "@mantine/core";
import type { Customer, CustomField } from "../../api/types.ts";
import { CrmMark } from "../../crm/CrmMark.tsx";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { formatFieldValue } from "../../components/format.ts";

/** The CRM values a customer holds, shown right after a link so the effect is visible. */
export function LinkedValues({ customer, fields }: { customer: Customer; fields: CustomField[] }) {
  const synced = fields.filter((f) => f.syncMapping);
  const name = useWorkspaceCrm().displayName;
  if (synced.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No {name} fields are imported yet, so there are no values to show. Import fields under Customers › Custom Fields.
      </Text>
    );
  }
  return (
    <Table aria-label="Synced values" withTableBorder>
      <Table.Tbody>
        {synced.map((field) => (
          <Table.Tr key={field.id}>
            <Table.Th w="45%">
              <Group gap={4} wrap="nowrap">
                {field.label}
                <CrmMark provider={field.syncMapping?.provider} />
              </Group>
            </Table.Th>
            <Table.Td>{formatFieldValue(field, customer.fields[field.key]) || <Text c="dimmed" span size="sm">empty</Text>}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
