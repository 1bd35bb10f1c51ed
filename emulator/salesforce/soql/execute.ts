import type { SfRecord } from "../records.ts";
import { renderValue } from "../values.ts";
import type { Column, CompiledQuery, QuerySource } from "./compile.ts";

/** Runs a compiled query: filter, order (stable on Id order), offset and limit. */
export function runQuery(q: CompiledQuery, source: QuerySource, includeDeleted: boolean): SfRecord[] {
  let rows: SfRecord[] = [];
  for (const rec of source.all(q.object)) {
    if (!includeDeleted && rec.values.IsDeleted === true) continue;
    if (q.filter(rec)) rows.push(rec);
  }
  if (q.compare) rows.sort(q.compare);
  if (q.offset !== undefined || q.limit !== undefined) {
    const start = q.offset ?? 0;
    rows = rows.slice(start, q.limit === undefined ? undefined : start + q.limit);
  }
  return rows;
}

export function recordUrl(version: string, object: string, id: string): string {
  return `/services/data/v${version}/sobjects/${object}/${id}`;
}

/** Renders rows as Salesforce does: `attributes` first, then the selected fields in select order. */
export class RowRenderer {
  private readonly children = new Map<Column, Map<string, SfRecord[]>>();

  constructor(
    private readonly q: CompiledQuery,
    private readonly source: QuerySource,
    private readonly version: string,
    private readonly includeDeleted: boolean,
  ) {}

  /** Children of every parent for each subquery, computed once per page. */
  private childrenOf(col: Extract<Column, { kind: "subquery" }>, parentId: string): SfRecord[] {
    let index = this.children.get(col);
    if (!index) {
      index = new Map();
      const { limit, offset, ...rest } = col.child;
      for (const rec of runQuery(rest, this.source, this.includeDeleted)) {
        const pid = rec.values[col.parentField];
        if (typeof pid !== "string") continue;
        const list = index.get(pid) ?? [];
        list.push(rec);
        index.set(pid, list);
      }
      if (limit !== undefined || offset !== undefined) {
        for (const [k, list] of index) index.set(k, list.slice(offset ?? 0, limit === undefined ? undefined : (offset ?? 0) + limit));
      }
      this.children.set(col, index);
    }
    return index.get(parentId) ?? [];
  }

  render(rec: SfRecord, q: CompiledQuery = this.q): Record<string, unknown> {
    const out: Record<string, unknown> = { attributes: { type: rec.object, url: recordUrl(this.version, rec.object, rec.id) } };
    for (const col of q.columns) {
      if (col.kind === "subquery") {
        const kids = this.childrenOf(col, rec.id);
        out[col.relationshipName] = kids.length === 0 ? null : { totalSize: kids.length, done: true, records: kids.map((k) => this.render(k, col.child)) };
        continue;
      }
      const { def, parent } = col.bound;
      if (!parent) {
        out[def.name] = renderValue(def, rec.values, () => `${recordUrl(this.version, rec.object, rec.id)}/${def.name}`);
        continue;
      }
      const parentId = rec.values[parent.via.name];
      const parentRec = typeof parentId === "string" ? this.source.get(parent.object, parentId) : undefined;
      if (!parentRec) {
        out[parent.relationshipName] = null;
        continue;
      }
      const nested = (out[parent.relationshipName] as Record<string, unknown> | undefined) ?? {
        attributes: { type: parentRec.object, url: recordUrl(this.version, parentRec.object, parentRec.id) },
      };
      nested[def.name] = renderValue(def, parentRec.values, () => `${recordUrl(this.version, parentRec.object, parentRec.id)}/${def.name}`);
      out[parent.relationshipName] = nested;
    }
    return out;
  }
}
