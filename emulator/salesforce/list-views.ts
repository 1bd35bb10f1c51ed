import { SalesforceError } from "./errors.ts";
import { makeId, KEY_PREFIXES } from "./ids.ts";
import type { ObjectInfo } from "./schema.ts";
import { compileCondition, type QuerySource } from "./soql/compile.ts";
import { parseCondition } from "./soql/parser.ts";

/**
 * List views defined through the control API. Their describe gives the SOQL Salesforce would run
 * for them: the columns, Id and the system dates, the filter and the view's order.
 */
export interface ListView {
  id: string;
  developerName: string;
  label: string;
  object: ObjectInfo["name"];
  where: string | null;
  columns: string[];
}

export const DEFAULT_COLUMNS = ["Name", "AccountId", "Title", "Phone", "Email"];

export class ListViews {
  private readonly views = new Map<string, ListView>();
  private counter = 0;

  define(input: { label?: unknown; developerName?: unknown; where?: unknown; columns?: unknown }, info: ObjectInfo, source: QuerySource): ListView {
    if (typeof input.label !== "string" || input.label === "") throw new SalesforceError(400, "INVALID_INPUT", "label is required");
    const where = typeof input.where === "string" && input.where.trim() !== "" ? input.where : null;
    if (where) compileCondition(where, parseCondition(where), info, source);
    const columns = Array.isArray(input.columns) ? input.columns.map(String) : DEFAULT_COLUMNS;
    for (const c of columns) {
      if (!info.fields.some((f) => f.name === c)) throw new SalesforceError(400, "INVALID_INPUT", `column ${c} is not a field of ${info.name}`);
    }
    this.counter++;
    const developerName = typeof input.developerName === "string" && input.developerName ? input.developerName : input.label.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_|_$/g, "");
    const view: ListView = { id: makeId(KEY_PREFIXES.ListView, this.counter), developerName, label: input.label, object: info.name, where, columns };
    this.views.set(view.id, view);
    return view;
  }

  get(id: string): ListView | undefined {
    return this.views.get(id) ?? this.views.get([...this.views.keys()].find((k) => k.slice(0, 15) === id.slice(0, 15)) ?? "");
  }

  remove(id: string): boolean {
    const v = this.get(id);
    return v ? this.views.delete(v.id) : false;
  }

  list(object?: string): ListView[] {
    return [...this.views.values()].filter((v) => object === undefined || v.object === object);
  }

  clear(): void {
    this.views.clear();
    this.counter = 0;
  }
}

/** The SOQL a list view runs, in the form Salesforce's list-view describe gives it. */
export function listViewQuery(v: ListView): string {
  const fields = [...v.columns];
  for (const sys of ["Id", "CreatedDate", "LastModifiedDate", "SystemModstamp"]) if (!fields.includes(sys)) fields.push(sys);
  const where = v.where ? ` WHERE ${v.where}` : "";
  const orderField = v.columns.includes("Name") ? "Name" : "Id";
  return `SELECT ${fields.join(", ")} FROM ${v.object}${where} ORDER BY ${orderField} ASC NULLS FIRST, Id ASC NULLS FIRST`;
}
