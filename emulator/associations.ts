import type { ObjectType } from "./object-types.ts";

/**
 * Associations between records, stored per direction. Edges are kept in both directions so
 * reads are one Map lookup. A side with a single edge stores a bare number (most contacts
 * have exactly one company), which keeps a million contacts cheap.
 */
export interface AssociationTypeInfo {
  from: ObjectType;
  to: ObjectType;
  typeId: number;
  reverseTypeId: number;
  category: "HUBSPOT_DEFINED" | "USER_DEFINED";
  label: string | null;
  /** The v3 API's name for the type, e.g. "contact_to_company_unlabeled". */
  v3Name: string;
  primary: boolean;
}

function t(from: ObjectType, to: ObjectType, typeId: number, reverseTypeId: number, v3Name: string, primary = false): AssociationTypeInfo {
  return { from, to, typeId, reverseTypeId, category: "HUBSPOT_DEFINED", label: primary ? "Primary" : null, v3Name, primary };
}

export const ASSOCIATION_TYPES: readonly AssociationTypeInfo[] = [
  t("contacts", "companies", 279, 280, "contact_to_company_unlabeled"),
  t("companies", "contacts", 280, 279, "company_to_contact_unlabeled"),
  t("contacts", "companies", 1, 2, "contact_to_company", true),
  t("companies", "contacts", 2, 1, "company_to_contact", true),
  t("deals", "companies", 341, 342, "deal_to_company_unlabeled"),
  t("companies", "deals", 342, 341, "company_to_deal_unlabeled"),
  t("deals", "companies", 5, 6, "deal_to_company", true),
  t("companies", "deals", 6, 5, "company_to_deal", true),
  t("deals", "contacts", 3, 4, "deal_to_contact"),
  t("contacts", "deals", 4, 3, "contact_to_deal"),
];

export function defaultType(from: ObjectType, to: ObjectType): AssociationTypeInfo {
  const d = ASSOCIATION_TYPES.find((x) => x.from === from && x.to === to && !x.primary);
  if (!d) throw new Error(`no default association type ${from} -> ${to}`);
  return d;
}

export function findType(from: ObjectType, to: ObjectType, typeId: number): AssociationTypeInfo | undefined {
  return ASSOCIATION_TYPES.find((x) => x.from === from && x.to === to && x.typeId === typeId);
}

/** The side that holds "primary" (a contact's or deal's primary company). */
function primaryHolder(a: ObjectType, b: ObjectType): { child: ObjectType; parent: ObjectType } | undefined {
  if (b === "companies" && (a === "contacts" || a === "deals")) return { child: a, parent: b };
  if (a === "companies" && (b === "contacts" || b === "deals")) return { child: b, parent: a };
  return undefined;
}

type Edges = Map<number, number | number[]>;

function addEdge(edges: Edges, from: number, to: number): void {
  const cur = edges.get(from);
  if (cur === undefined) edges.set(from, to);
  else if (typeof cur === "number") {
    if (cur !== to) edges.set(from, cur < to ? [cur, to] : [to, cur]);
  } else if (cur[cur.length - 1]! < to) {
    cur.push(to);
  } else if (!cur.includes(to)) {
    cur.push(to);
    cur.sort((x, y) => x - y);
  }
}

function removeEdge(edges: Edges, from: number, to: number): void {
  const cur = edges.get(from);
  if (cur === undefined) return;
  if (typeof cur === "number") {
    if (cur === to) edges.delete(from);
    return;
  }
  const i = cur.indexOf(to);
  if (i >= 0) cur.splice(i, 1);
  if (cur.length === 1) edges.set(from, cur[0]!);
  else if (cur.length === 0) edges.delete(from);
}

export interface AssociationTypeView {
  category: "HUBSPOT_DEFINED" | "USER_DEFINED";
  typeId: number;
  label: string | null;
}

export class AssociationStore {
  private readonly edges = new Map<string, Edges>();
  /** child type -> (child id -> primary company id). */
  private readonly primary = new Map<ObjectType, Map<number, number>>();
  /** Extra labelled types per directed pair, keyed "fromId:toId" in the `from>to` direction. */
  private readonly labels = new Map<string, Map<string, number[]>>();

  clear(): void {
    this.edges.clear();
    this.primary.clear();
    this.labels.clear();
  }

  private edgesOf(from: ObjectType, to: ObjectType): Edges {
    const key = `${from}>${to}`;
    let e = this.edges.get(key);
    if (!e) {
      e = new Map();
      this.edges.set(key, e);
    }
    return e;
  }

  private primaryOf(child: ObjectType): Map<number, number> {
    let m = this.primary.get(child);
    if (!m) {
      m = new Map();
      this.primary.set(child, m);
    }
    return m;
  }

  /** Adds an association with its default type, plus any given type ids (primary, labels). */
  add(from: ObjectType, fromId: number, to: ObjectType, toId: number, typeIds: readonly number[] = []): void {
    addEdge(this.edgesOf(from, to), fromId, toId);
    addEdge(this.edgesOf(to, from), toId, fromId);
    for (const typeId of typeIds) {
      const known = findType(from, to, typeId);
      if (known && !known.primary) continue;
      if (known?.primary) {
        const holder = primaryHolder(from, to);
        if (!holder) continue;
        const [childId, parentId] = holder.child === from ? [fromId, toId] : [toId, fromId];
        this.primaryOf(holder.child).set(childId, parentId);
        continue;
      }
      const key = `${from}>${to}`;
      let m = this.labels.get(key);
      if (!m) {
        m = new Map();
        this.labels.set(key, m);
      }
      const ids = m.get(`${fromId}:${toId}`) ?? [];
      if (!ids.includes(typeId)) ids.push(typeId);
      m.set(`${fromId}:${toId}`, ids);
    }
  }

  /** Bulk load (generator): resolves the maps once instead of per edge. */
  addBulk(from: ObjectType, to: ObjectType, fromIds: readonly number[], toIds: readonly number[], primary: boolean): void {
    const fwd = this.edgesOf(from, to);
    const rev = this.edgesOf(to, from);
    const holder = primary ? primaryHolder(from, to) : undefined;
    const prim = holder ? this.primaryOf(holder.child) : undefined;
    for (let i = 0; i < fromIds.length; i++) {
      const a = fromIds[i]!;
      const b = toIds[i]!;
      addEdge(fwd, a, b);
      addEdge(rev, b, a);
      if (prim && holder) {
        if (holder.child === from) prim.set(a, b);
        else prim.set(b, a);
      }
    }
  }

  setPrimary(child: ObjectType, childId: number, parentId: number): void {
    this.primaryOf(child).set(childId, parentId);
  }

  remove(from: ObjectType, fromId: number, to: ObjectType, toId: number): void {
    removeEdge(this.edgesOf(from, to), fromId, toId);
    removeEdge(this.edgesOf(to, from), toId, fromId);
    const holder = primaryHolder(from, to);
    if (holder) {
      const [childId, parentId] = holder.child === from ? [fromId, toId] : [toId, fromId];
      const m = this.primaryOf(holder.child);
      if (m.get(childId) === parentId) m.delete(childId);
    }
    this.labels.get(`${from}>${to}`)?.delete(`${fromId}:${toId}`);
    this.labels.get(`${to}>${from}`)?.delete(`${toId}:${fromId}`);
  }

  /**
   * Removes labels (primary or user-defined) from an association and keeps the association
   * itself, as the batch labels/archive endpoint does; the default type cannot be removed so.
   */
  removeTypes(from: ObjectType, fromId: number, to: ObjectType, toId: number, typeIds: readonly number[]): void {
    for (const typeId of typeIds) {
      const known = findType(from, to, typeId);
      if (known?.primary) {
        const holder = primaryHolder(from, to)!;
        const [childId, parentId] = holder.child === from ? [fromId, toId] : [toId, fromId];
        const m = this.primaryOf(holder.child);
        if (m.get(childId) === parentId) m.delete(childId);
        continue;
      }
      for (const [dir, key] of [[`${from}>${to}`, `${fromId}:${toId}`], [`${to}>${from}`, `${toId}:${fromId}`]] as const) {
        const own = this.labels.get(dir)?.get(key);
        if (!own) continue;
        const rest = own.filter((x) => x !== typeId);
        if (rest.length > 0) this.labels.get(dir)!.set(key, rest);
        else this.labels.get(dir)!.delete(key);
      }
    }
  }

  /** Ids associated with `fromId`, ascending. */
  list(from: ObjectType, fromId: number, to: ObjectType): number[] {
    const cur = this.edges.get(`${from}>${to}`)?.get(fromId);
    if (cur === undefined) return [];
    return typeof cur === "number" ? [cur] : cur.slice();
  }

  has(from: ObjectType, fromId: number, to: ObjectType, toId: number): boolean {
    const cur = this.edges.get(`${from}>${to}`)?.get(fromId);
    if (cur === undefined) return false;
    return typeof cur === "number" ? cur === toId : cur.includes(toId);
  }

  /** The association types between two records, as v4 reports them (primary first). */
  typesBetween(from: ObjectType, fromId: number, to: ObjectType, toId: number): AssociationTypeInfo[] {
    const out: AssociationTypeInfo[] = [];
    const holder = primaryHolder(from, to);
    if (holder) {
      const [childId, parentId] = holder.child === from ? [fromId, toId] : [toId, fromId];
      if (this.primary.get(holder.child)?.get(childId) === parentId) {
        const p = ASSOCIATION_TYPES.find((x) => x.from === from && x.to === to && x.primary);
        if (p) out.push(p);
      }
    }
    out.push(defaultType(from, to));
    const own = this.labels.get(`${from}>${to}`)?.get(`${fromId}:${toId}`) ?? [];
    const reverse = this.labels.get(`${to}>${from}`)?.get(`${toId}:${fromId}`) ?? [];
    for (const typeId of new Set([...own, ...reverse])) {
      out.push({ from, to, typeId, reverseTypeId: typeId, category: "USER_DEFINED", label: null, v3Name: String(typeId), primary: false });
    }
    return out;
  }

  /** Moves every association of `loserId` to `survivorId` (merge). */
  moveAll(type: ObjectType, loserId: number, survivorId: number, types: readonly ObjectType[]): void {
    for (const other of types) {
      if (other === type) continue;
      for (const otherId of this.list(type, loserId, other)) {
        this.remove(type, loserId, other, otherId);
        if (!this.has(type, survivorId, other, otherId)) this.add(type, survivorId, other, otherId);
      }
    }
  }

  count(from: ObjectType, to: ObjectType): number {
    let n = 0;
    for (const v of this.edges.get(`${from}>${to}`)?.values() ?? []) n += typeof v === "number" ? 1 : v.length;
    return n;
  }
}
