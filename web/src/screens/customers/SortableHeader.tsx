import { Group, Table, UnstyledButton } from "@mantine/core";
import { IconArrowDown, IconArrowUp, IconSelector } from "@tabler/icons-react";
import type { ReactNode } from "react";

interface Props {
  /** The API sort name: name, createdAt or field:<key>. */
  sortKey: string;
  current: string;
  onSort: (sort: string) => void;
  children: ReactNode;
  label: string;
}

/** A column header that sorts by its column; a second click reverses, as people expect. */
export function SortableHeader({ sortKey, current, onSort, children, label }: Props) {
  const asc = current === sortKey;
  const desc = current === `-${sortKey}`;
  const Icon = asc ? IconArrowUp : desc ? IconArrowDown : IconSelector;
  return (
    <Table.Th aria-sort={asc ? "ascending" : desc ? "descending" : "none"} className="nowrap">
      <UnstyledButton fz="sm" fw={700} onClick={() => onSort(asc ? `-${sortKey}` : sortKey)} aria-label={`Sort by ${label}${asc ? ", descending" : ""}`}>
        <Group gap={4} wrap="nowrap">
          {children}
          <Icon size={14} aria-hidden style={{ opacity: asc || desc ? 1 : 0.4 }} />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}
