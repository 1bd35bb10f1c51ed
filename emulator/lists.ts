/**
 * Lists (v3 "object lists"): manual/snapshot membership sets kept sorted by record id,
 * because HubSpot pages memberships in record-id order; the join-order endpoint pages them by
 * the time they were added (ties by record id), an order built when first asked for.
 */
export interface StoredList {
  listId: number;
  name: string;
  objectTypeId: string;
  processingType: "MANUAL" | "SNAPSHOT" | "DYNAMIC";
  createdAt: number;
  updatedAt: number;
  deletedAt: number;
  listVersion: number;
  /** Ascending record ids. */
  members: number[];
  joinedAt: Map<number, number>;
  /** Members by (join time, record id); null until asked for, dropped on every change. */
  joinOrder: number[] | null;
}

/** A position in join order: after (or before) the member that joined at `at` with this id. */
export interface JoinKey {
  at: number;
  id: number;
}

export class ListStore {
  readonly lists = new Map<number, StoredList>();
  nextId = 1;

  clear(): void {
    this.lists.clear();
    this.nextId = 1;
  }

  create(input: { name: string; objectTypeId: string; processingType?: StoredList["processingType"]; members?: number[] }, now: number): StoredList {
    const list: StoredList = {
      listId: this.nextId++,
      name: input.name,
      objectTypeId: input.objectTypeId,
      processingType: input.processingType ?? "MANUAL",
      createdAt: now,
      updatedAt: now,
      deletedAt: 0,
      listVersion: 1,
      members: [],
      joinedAt: new Map(),
      joinOrder: null,
    };
    this.lists.set(list.listId, list);
    if (input.members) this.addMembers(list, input.members, now);
    return list;
  }

  /** A live (not deleted) list. */
  get(listId: number): StoredList | undefined {
    const l = this.lists.get(listId);
    return l && l.deletedAt === 0 ? l : undefined;
  }

  findByName(objectTypeId: string, name: string): StoredList | undefined {
    for (const l of this.lists.values()) if (l.deletedAt === 0 && l.objectTypeId === objectTypeId && l.name === name) return l;
    return undefined;
  }

  delete(listId: number, now: number): boolean {
    const l = this.get(listId);
    if (!l) return false;
    l.deletedAt = now;
    l.updatedAt = now;
    return true;
  }

  addMembers(list: StoredList, ids: readonly number[], now: number): number[] {
    const added: number[] = [];
    for (const id of ids) {
      if (list.joinedAt.has(id)) continue;
      list.joinedAt.set(id, now);
      added.push(id);
    }
    if (added.length > 0) {
      // A loop, not push(...added): spreading 300,000 ids overflows the call stack.
      for (const id of added) list.members.push(id);
      list.members.sort((a, b) => a - b);
      list.joinOrder = null;
      list.updatedAt = now;
      list.listVersion++;
    }
    return added;
  }

  removeMembers(list: StoredList, ids: readonly number[], now: number): number[] {
    const drop = new Set(ids.filter((id) => list.joinedAt.has(id)));
    if (drop.size === 0) return [];
    for (const id of drop) list.joinedAt.delete(id);
    list.members = list.members.filter((id) => !drop.has(id));
    list.joinOrder = null;
    list.updatedAt = now;
    list.listVersion++;
    return [...drop];
  }

  /** Removes a record from every list of its object type (archive, merge). */
  removeEverywhere(objectTypeId: string, id: number, now: number): void {
    for (const l of this.lists.values()) if (l.objectTypeId === objectTypeId && l.joinedAt.has(id)) this.removeMembers(l, [id], now);
  }

  /** Members with record id > `afterId`, ascending. */
  page(list: StoredList, afterId: number, limit: number): { items: number[]; more: boolean } {
    const a = list.members;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid]! <= afterId) lo = mid + 1;
      else hi = mid;
    }
    const items = a.slice(lo, lo + limit);
    return { items, more: lo + limit < a.length };
  }

  /** Members with record id < `beforeId`, ascending, the last `limit` of them. */
  pageBefore(list: StoredList, beforeId: number, limit: number): { items: number[]; more: boolean } {
    const a = list.members;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid]! < beforeId) lo = mid + 1;
      else hi = mid;
    }
    const start = Math.max(0, lo - limit);
    return { items: a.slice(start, lo), more: start > 0 };
  }

  /** Members after `from` in join order, oldest first; with `backward`, those before it, newest first. */
  pageByJoin(list: StoredList, from: JoinKey | null, limit: number, backward: boolean): { items: number[]; more: boolean } {
    const order = (list.joinOrder ??= [...list.members].sort((a, b) => list.joinedAt.get(a)! - list.joinedAt.get(b)! || a - b));
    const vs = (id: number, key: JoinKey): number => list.joinedAt.get(id)! - key.at || id - key.id;
    // First index past `from` going forward; first index not before it going backward.
    let lo = 0;
    let hi = order.length;
    while (from && lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = vs(order[mid]!, from);
      if (c < 0 || (c === 0 && !backward)) lo = mid + 1;
      else hi = mid;
    }
    if (backward) {
      const start = Math.max(0, lo - limit);
      return { items: order.slice(start, lo).reverse(), more: start > 0 };
    }
    return { items: order.slice(lo, lo + limit), more: lo + limit < order.length };
  }
}
