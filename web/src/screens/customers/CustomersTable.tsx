import { Anchor, Group, Table, Text } from "@mantine/core";
import { Link } from "react-router";
import type { Customer, CustomField } from "../../api/types.ts";
import { HubSpotMark } from "../../components/HubSpotMark.tsx";
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
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped highlightOnHover verticalSpacing="xs" aria-label="Customers">
        <Table.Thead>
          <Table.Tr>
            <SortableHeader sortKey="name" current={sort} onSort={onSort} label="name">
              Name
            </SortableHeader>
            <Table.Th>Domains</Table.Th>
            {fields.map((field) => (
              <SortableHeader key={field.id} sortKey={`field:${field.key}`} current={sort} onSort={onSort} label={field.label}>
                <Group gap={4} wrap="nowrap">
                  {field.label}
                  {field.syncMapping && <HubSpotMark />}
                </Group>
              </SortableHeader>
            ))}
            <Table.Th>HubSpot</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {customers.map((customer) => (
            <Table.Tr key={customer.id}>
              <Table.Td>
                <Anchor component={Link} to={paths.customer(customer.id)} fw={500}>
                  {customer.name}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Text size="sm" c={customer.domains.length ? "inherit" : "dimmed"}>
                  {customer.domains.length ? customer.domains.join(", ") : "—"}
                </Text>
              </Table.Td>
              {fields.map((field) => (
                <Table.Td key={field.id} className={field.type === "number" ? "nowrap" : undefined} ta={field.type === "number" ? "right" : undefined}>
                  {formatFieldValue(field, customer.fields[field.key])}
                </Table.Td>
              ))}
              <Table.Td>
                <LinkStatusCell customer={customer} canLink={canLink} onLink={onLink} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
