/** The SOQL subset the emulator understands, as parsed (names not yet checked against describe). */
export interface FieldRef {
  path: string[];
  /** 1-based column of the reference in the query text (for Salesforce-style error messages). */
  column: number;
}

export type SelectItem =
  | { kind: "field"; ref: FieldRef }
  | { kind: "count"; ref?: FieldRef; column: number }
  | { kind: "subquery"; query: SoqlQuery };

export type Literal =
  | { kind: "string"; value: string; column: number }
  | { kind: "number"; value: number; column: number }
  | { kind: "boolean"; value: boolean; column: number }
  | { kind: "null"; column: number }
  | { kind: "date"; value: string; column: number }
  | { kind: "datetime"; value: number; column: number };

export type CompareOp = "=" | "!=" | "<" | "<=" | ">" | ">=";

export type Condition =
  | { kind: "and"; items: Condition[] }
  | { kind: "or"; items: Condition[] }
  | { kind: "not"; item: Condition }
  | { kind: "compare"; field: FieldRef; op: CompareOp; value: Literal }
  | { kind: "in"; field: FieldRef; negated: boolean; values: Literal[] }
  | { kind: "like"; field: FieldRef; pattern: Literal };

export interface OrderItem {
  field: FieldRef;
  descending: boolean;
  nullsLast: boolean;
}

export interface SoqlQuery {
  select: SelectItem[];
  from: string;
  fromColumn: number;
  where?: Condition;
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
}
