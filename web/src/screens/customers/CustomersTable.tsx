import { Anchor, Group, Table, Text } from "@mantine/core";
import { Link } from "react-router";
import type { Customer, CustomField } from "../../api/types.ts";
import { CrmMark } from "../../crm/CrmMark.tsx";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { formatFieldValue } from "../../components/format.ts";
import { paths } from "../../paths.ts";
import { LinkStatusCell } from "./LinkStatusCell.tsx";
import { SortableHeader } from "./SortableHeader.tsx";

interface Props {
  customers: Customer[];
  fields: CustomField[];
  sort: string;
  onSort: (sort: string) => void;
  canLink: boolean;
  onLink: (customer: Customer) => void;
}

export function CustomersTable({ customers, fields, sort, onSort, canLink, onLink }: Props) {
  const crmName = useWorkspaceCrm().displayName;
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped highlightOnHover verticalSpacing="xs" aria-label="Customers">
        <Table.Thead>
          <Table.Tr>
            <SortableHeader sortKey="name" current={sort} onSort={onSort} label="name">
              Name
            </SortableHeader>
            <Table.Th>Domains</Table.Th>
            <Table.Th>{crmName}</Table.Th>
            {fields.map((field) => (
              <SortableHeader key={field.id} sortKey={`field:${field.key}`} current={sort} onSort={onSort} label={field.label}>
                <Group gap={4} wrap="nowrap">
                  {field.label}
                  {field.syncMapping && <CrmMark provider={field.syncMapping.provider} />}
                </Group>
              </SortableHeader>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {customers.map((customer) => (
            <Table.Tr key={customer.id}>
              <Table.Td className="nowrap">
                <Anchor component={Link} to={paths.customer(customer.id)} fw={500} size="sm">
                  {customer.name}
                </Anchor>
              </Table.Td>
              <Table.Td className="nowrap">
                {customer.domains.length ? (
                  customer.domains.map((domain) => (
                    <Text key={domain} size="sm">
                      {domain}
                    </Text>
                  ))
                ) : (
                  <Text size="sm" c="dimmed">
                    —
                  </Text>
                )}
              </Table.Td>
              <Table.Td miw={150}>
                <LinkStatusCell customer={customer} canLink={canLink} onLink={onLink} />
              </Table.Td>
              {fields.map((field) => (
                <Table.Td key={field.id} className={field.type === "number" || field.type === "date" ? "nowrap" : undefined} ta={field.type === "number" ? "right" : undefined} miw={field.type === "text" || field.type === "select" ? 120 : undefined}>
                  {formatFieldValue(field, customer.fields[field.key])}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
