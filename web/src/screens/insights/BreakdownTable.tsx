import { Table } from "@mantine/core";
import type { Breakdown } from "../../api/types.ts";
import { formatNumber } from "../../components/format.ts";

/** The chart's numbers as a table: readable by screen readers and exact where bars are not. */
export function BreakdownTable({ breakdown }: { breakdown: Breakdown }) {
  return (
    <Table aria-label={`Customers by ${breakdown.field.label}, as a table`} withTableBorder striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{breakdown.field.label}</Table.Th>
          <Table.Th ta="right">Customers</Table.Th>
          <Table.Th ta="right">Share</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {breakdown.buckets.map((bucket) => (
          <Table.Tr key={bucket.key}>
            <Table.Td>{bucket.label}</Table.Td>
            <Table.Td ta="right">{formatNumber(bucket.count)}</Table.Td>
            <Table.Td ta="right">{breakdown.total ? `${Math.round((bucket.count / breakdown.total) * 100)} %` : "—"}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
