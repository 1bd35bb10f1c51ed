// Customer list filters as they live in the address bar: filter[<key>][<op>]=<value>, the
// API's own format, so a filtered list is a link that can be shared and reloaded.
import type { CustomField, FieldType } from "../../api/types.ts";

export const filterOps = ["eq", "neq", "gt", "gte", "lt", "lte", "in", "contains", "is_empty", "is_not_empty"] as const;
export type FilterOp = (typeof filterOps)[number];

/** The operators each type accepts (mirrors the server's table; the server still decides). */
export const opsByType: Record<FieldType, readonly FilterOp[]> = {
  text: ["eq", "neq", "contains", "in", "is_empty", "is_not_empty"],
  number: ["eq", "neq", "gt", "gte", "lt", "lte", "in", "is_empty", "is_not_empty"],
  date: ["eq", "neq", "gt", "gte", "lt", "lte", "in", "is_empty", "is_not_empty"],
  select: ["eq", "neq", "in", "is_empty", "is_not_empty"],
  multi_select: ["contains", "in", "is_empty", "is_not_empty"],
  yes_no: ["eq", "neq", "is_empty", "is_not_empty"],
};

export const opLabels: Record<FilterOp, string> = {
  eq: "is",
  neq: "is not",
  gt: "greater than",
  gte: "at least",
  lt: "less than",
  lte: "at most",
  in: "is any of",
  contains: "contains",
  is_empty: "is empty",
  is_not_empty: "is not empty",
};

export const opSymbols: Partial<Record<FilterOp, string>> = { gt: ">", gte: "≥", lt: "<", lte: "≤", eq: "=", neq: "≠" };

export function opLabel(type: FieldType, op: FilterOp): string {
  if (type === "date") {
    if (op === "gt") return "after";
    if (op === "lt") return "before";
    if (op === "gte") return "on or after";
    if (op === "lte") return "on or before";
  }
  if (type === "multi_select" && op === "contains") return "has";
  if (type === "multi_select" && op === "in") return "has any of";
  return opLabels[op];
}

export const needsValue = (op: FilterOp): boolean => op !== "is_empty" && op !== "is_not_empty";

export interface ActiveFilter {
  key: string;
  op: FilterOp;
  value: string;
}

const pattern = /^filter\[([^\][]*)\]\[([^\][]*)\]$/;

export function readFilters(params: URLSearchParams): ActiveFilter[] {
  const filters: ActiveFilter[] = [];
  for (const [name, value] of params) {
    const match = pattern.exec(name);
    if (!match) continue;
    const [, key = "", op = ""] = match;
    if ((filterOps as readonly string[]).includes(op)) filters.push({ key, op: op as FilterOp, value });
  }
  return filters;
}

export const filterParam = (filter: Pick<ActiveFilter, "key" | "op">): string => `filter[${filter.key}][${filter.op}]`;

/** A readable sentence for a filter pill, with option values shown by their labels. */
export function describeFilter(filter: ActiveFilter, field: CustomField | undefined): string {
  const label = field?.label ?? filter.key;
  const type = field?.type ?? "text";
  if (!needsValue(filter.op)) return `${label} ${opLabel(type, filter.op)}`;
  const shown = filter.value
    .split(filter.op === "in" ? "," : /$^/)
    .map((v) => v.trim())
    .map((v) => field?.options.find((o) => o.value === v)?.label ?? (type === "yes_no" ? (v === "true" ? "Yes" : v === "false" ? "No" : v) : v))
    .join(", ");
  return `${label} ${opLabel(type, filter.op)} ${shown}`;
}
