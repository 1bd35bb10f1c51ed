import { SalesforceError } from "../errors.ts";
import type { FieldDef, FieldValue } from "../fields.ts";
import { normaliseId } from "../ids.ts";
import type { SfRecord } from "../records.ts";
import { findField, resolveObjectName, type ObjectInfo, type ObjectName } from "../schema.ts";
import { rawValue } from "../values.ts";
import type { Condition, FieldRef, Literal, SelectItem, SoqlQuery } from "./ast.ts";
import { invalidField, invalidType, malformed, noSuchColumn } from "./errors.ts";

/** What a query needs from the store: describe and record lookups. */
export interface QuerySource {
  info(name: ObjectName): ObjectInfo;
  get(object: ObjectName, id: string): SfRecord | undefined;
  all(object: ObjectName): Iterable<SfRecord>;
}

/** A field reference bound to describe: its own field, or one on the parent through a lookup. */
export interface BoundField {
  def: FieldDef;
  parent?: { relationshipName: string; object: ObjectName; via: FieldDef };
  get(rec: SfRecord): FieldValue;
}

export type Column =
  | { kind: "field"; bound: BoundField }
  | { kind: "subquery"; relationshipName: string; child: CompiledQuery; parentField: string };

export interface CompiledQuery {
  object: ObjectName;
  columns: Column[];
  /** COUNT(): only the number of rows; COUNT(field): one AggregateResult row. */
  count?: { field?: BoundField };
  filter(rec: SfRecord): boolean;
  compare?: (a: SfRecord, b: SfRecord) => number;
  limit?: number;
  offset?: number;
}

const NOT_FILTERABLE = new Set(["address", "location", "base64", "anyType", "encryptedstring"]);
const NUMERIC = new Set(["currency", "percent", "double", "int", "long"]);
const TEXTUAL = new Set(["string", "textarea", "email", "phone", "url", "picklist", "multipicklist", "encryptedstring", "id", "reference", "anyType"]);
const MAX_OFFSET = 2000;

class Compiler {
  constructor(
    private readonly text: string,
    private readonly source: QuerySource,
  ) {}

  bind(ref: FieldRef, info: ObjectInfo): BoundField {
    let path = ref.path;
    if (path.length > 1 && path[0]!.toLowerCase() === info.name.toLowerCase()) path = path.slice(1);
    if (path.length === 1) {
      const def = findField(info, path[0]!);
      if (!def) throw noSuchColumn(this.text, ref.column, path[0]!, info.name);
      return { def, get: (rec) => rawValue(def, rec.values) };
    }
    const relName = path[0]!;
    const via = info.fields.find((f) => f.relationshipName?.toLowerCase() === relName.toLowerCase());
    const target = via?.referenceTo[0] ? resolveObjectName(via.referenceTo[0]) : undefined;
    if (!via || !target || path.length > 2) {
      throw invalidField(
        this.text,
        ref.column,
        `Didn't understand relationship '${relName}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    const targetInfo = this.source.info(target);
    const def = findField(targetInfo, path[1]!);
    if (!def) throw noSuchColumn(this.text, ref.column, path[1]!, targetInfo.name);
    const source = this.source;
    return {
      def,
      parent: { relationshipName: via.relationshipName!, object: target, via },
      get: (rec) => {
        const parentId = rec.values[via.name];
        const parent = typeof parentId === "string" ? source.get(target, parentId) : undefined;
        return parent ? rawValue(def, parent.values) : null;
      },
    };
  }

  compile(q: SoqlQuery, info: ObjectInfo): CompiledQuery {
    const compiled: CompiledQuery = { object: info.name, columns: [], filter: () => true };
    const seen = new Set<string>();
    for (const item of q.select) this.addColumn(item, info, compiled, seen);
    if (compiled.count && compiled.columns.length > 0) {
      throw malformed(this.text, q.fromColumn, "Aggregate query does not support queryMore(), use LIMIT to restrict the results to a single batch");
    }
    if (q.where) compiled.filter = this.condition(q.where, info);
    if (q.orderBy.length > 0) {
      const keys = q.orderBy.map((o) => ({ ...o, bound: this.bind(o.field, info) }));
      compiled.compare = (a, b) => {
        for (const k of keys) {
          const va = k.bound.get(a);
          const vb = k.bound.get(b);
          if (va === null || vb === null) {
            if (va === vb) continue;
            return (va === null) === k.nullsLast ? 1 : -1;
          }
          const c = compareValues(va, vb);
          if (c !== 0) return k.descending ? -c : c;
        }
        return 0;
      };
    }
    if (q.limit !== undefined) compiled.limit = q.limit;
    if (q.offset !== undefined) {
      if (q.offset > MAX_OFFSET) throw new SalesforceError(400, "NUMBER_OUTSIDE_VALID_RANGE", `Maximum SOQL offset allowed is ${MAX_OFFSET}`);
      compiled.offset = q.offset;
    }
    return compiled;
  }

  private addColumn(item: SelectItem, info: ObjectInfo, compiled: CompiledQuery, seen: Set<string>): void {
    if (item.kind === "count") {
      compiled.count = item.ref ? { field: this.bind(item.ref, info) } : {};
      return;
    }
    if (item.kind === "subquery") {
      const rel = info.childRelationships.find((r) => r.relationshipName.toLowerCase() === item.query.from.toLowerCase());
      if (!rel) {
        throw new SalesforceError(
          400,
          "INVALID_TYPE",
          `\n${this.text}\nERROR at Row:1:Column:${item.query.fromColumn}\nDidn't understand relationship '${item.query.from}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
        );
      }
      if (seen.has(rel.relationshipName)) throw malformed(this.text, item.query.fromColumn, `duplicate field selected: ${rel.relationshipName}`);
      seen.add(rel.relationshipName);
      const child = this.compile(item.query, this.source.info(rel.childSObject));
      compiled.columns.push({ kind: "subquery", relationshipName: rel.relationshipName, child, parentField: rel.field });
      return;
    }
    const bound = this.bind(item.ref, info);
    const key = bound.parent ? `${bound.parent.relationshipName}.${bound.def.name}` : bound.def.name;
    if (seen.has(key)) throw malformed(this.text, item.ref.column, `duplicate field selected: ${item.ref.path.join(".")}`);
    seen.add(key);
    compiled.columns.push({ kind: "field", bound });
  }

  private condition(c: Condition, info: ObjectInfo): (rec: SfRecord) => boolean {
    switch (c.kind) {
      case "and": {
        const items = c.items.map((i) => this.condition(i, info));
        return (rec) => items.every((f) => f(rec));
      }
      case "or": {
        const items = c.items.map((i) => this.condition(i, info));
        return (rec) => items.some((f) => f(rec));
      }
      case "not": {
        const inner = this.condition(c.item, info);
        return (rec) => !inner(rec);
      }
      case "like": {
        const bound = this.filterable(c.field, info);
        if (!TEXTUAL.has(bound.def.type) || c.pattern.kind !== "string") throw invalidField(this.text, c.field.column, `invalid operator on ${bound.def.type} field: LIKE`);
        const re = likeToRegExp(c.pattern.value);
        return (rec) => {
          const v = bound.get(rec);
          return v !== null && re.test(String(v));
        };
      }
      case "in": {
        const bound = this.filterable(c.field, info);
        const values = c.values.map((l) => this.literalFor(bound, l));
        return (rec) => {
          const v = bound.get(rec);
          const hit = values.some((x) => equalValues(bound.def, v, x));
          return c.negated ? !hit : hit;
        };
      }
      case "compare": {
        const bound = this.filterable(c.field, info);
        const value = this.literalFor(bound, c.value);
        if (value === null && c.op !== "=" && c.op !== "!=") throw malformed(this.text, c.value.column, `unexpected token: 'null'`);
        switch (c.op) {
          case "=":
            return (rec) => equalValues(bound.def, bound.get(rec), value);
          case "!=":
            return (rec) => !equalValues(bound.def, bound.get(rec), value);
          default: {
            const test = ORDERING[c.op];
            return (rec) => {
              const v = bound.get(rec);
              return v !== null && value !== null && test(compareValues(v, value));
            };
          }
        }
      }
    }
  }

  private filterable(ref: FieldRef, info: ObjectInfo): BoundField {
    const bound = this.bind(ref, info);
    const longText = bound.def.type === "textarea" && bound.def.length > 255;
    if (NOT_FILTERABLE.has(bound.def.type) || longText) {
      throw invalidField(this.text, ref.column, `field '${bound.def.name}' can not be filtered in a query call`);
    }
    return bound;
  }

  /** Checks a literal against the field's type the way Salesforce does, and converts it. */
  private literalFor(bound: BoundField, lit: Literal): FieldValue {
    const def = bound.def;
    if (lit.kind === "null") return null;
    const mismatch = (expected: string, quoted: boolean): never => {
      throw invalidField(this.text, lit.column, `value of filter criterion for field '${def.name}' must be of type ${expected} and should ${quoted ? "" : "not "}be enclosed in quotes`);
    };
    if (def.type === "datetime") return lit.kind === "datetime" ? lit.value : mismatch("dateTime", false);
    if (def.type === "date") return lit.kind === "date" ? lit.value : mismatch("date", false);
    if (def.type === "boolean") return lit.kind === "boolean" ? lit.value : mismatch("boolean", false);
    if (NUMERIC.has(def.type)) return lit.kind === "number" ? lit.value : mismatch("double", false);
    if (lit.kind !== "string") return mismatch("string", true);
    if (def.type === "id" || def.type === "reference") {
      const id = normaliseId(lit.value);
      if (!id) throw new SalesforceError(400, "INVALID_QUERY_FILTER_OPERATOR", `\n${this.text}\nERROR at Row:1:Column:${lit.column}\ninvalid ID field: ${lit.value}`);
      return id;
    }
    return lit.value;
  }
}

const ORDERING: Record<"<" | "<=" | ">" | ">=", (c: number) => boolean> = {
  "<": (c) => c < 0,
  "<=": (c) => c <= 0,
  ">": (c) => c > 0,
  ">=": (c) => c >= 0,
};

/** Text compares case-insensitively in SOQL; numbers, dates and booleans by value. */
export function compareValues(a: FieldValue, b: FieldValue): number {
  if (typeof a === "string" && typeof b === "string") {
    const la = a.toLowerCase();
    const lb = b.toLowerCase();
    return la < lb ? -1 : la > lb ? 1 : a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  return String(a).localeCompare(String(b));
}

function equalValues(def: FieldDef, v: FieldValue, x: FieldValue): boolean {
  if (v === null || x === null) return v === x;
  if (def.type === "id" || def.type === "reference") return v === x;
  if (def.type === "multipicklist" && typeof v === "string" && typeof x === "string") {
    const set = (s: string) => s.split(";").map((p) => p.trim().toLowerCase()).filter(Boolean).sort().join(";");
    return set(v) === set(x);
  }
  return compareValues(v, x) === 0 && typeof v === typeof x;
}

function likeToRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === "\\" && i + 1 < pattern.length) {
      re += pattern.charAt(++i).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    } else if (c === "%") re += "[\\s\\S]*";
    else if (c === "_") re += "[\\s\\S]";
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`, "i");
}

export function compileSoql(text: string, q: SoqlQuery, source: QuerySource): CompiledQuery {
  const object = resolveObjectName(q.from);
  if (!object) throw invalidType(text, q.fromColumn, q.from);
  return new Compiler(text, source).compile(q, source.info(object));
}

/** Compiles a bare condition against an object (list views and validation rules use it). */
export function compileCondition(text: string, where: Condition, info: ObjectInfo, source: QuerySource): (rec: SfRecord) => boolean {
  return new Compiler(text, source).compile({ select: [], from: info.name, fromColumn: 1, where, orderBy: [] }, info).filter;
}
