import type { ObjectType } from "./object-types.ts";

/**
 * Compact in-memory records for one object type. A million contacts must fit, so a record
 * keeps only its own property values as a plain object; timestamps and id live in fields,
 * history is created on the first change, and lookups use binary search over the id-ordered
 * array instead of a Map.
 */
export type Props = Record<string, string>;

export interface HistoryEntry {
  value: string;
  timestamp: number;
  sourceType: string;
  sourceId?: string;
  updatedByUserId?: number;
}

export interface ChangeSource {
  sourceType: string;
  sourceId?: string;
  updatedByUserId?: number;
}

export class StoredRecord {
  archived = false;
  archivedAt = 0;
  /** Non-zero once merged away: the id of the surviving record. */
  mergedInto = 0;
  /** Oldest first; null until the first change after creation. */
  history: Map<string, HistoryEntry[]> | null = null;
  /** What search still sees while a change is "indexing" (searchDelayMs); view null = not yet visible. */
  pending: { visibleAt: number; view: StoredRecord | null } | null = null;

  constructor(
    readonly id: number,
    public props: Props,
    public createdAt: number,
    public updatedAt: number,
    public sourceType: string,
  ) {}

  get live(): boolean {
    return !this.archived && this.mergedInto === 0;
  }

  /** History of one property, oldest first, synthesising the creation entry when never changed. */
  historyOf(name: string): HistoryEntry[] {
    const h = this.history?.get(name);
    if (h) return h;
    const v = this.props[name];
    return v === undefined ? [] : [{ value: v, timestamp: this.createdAt, sourceType: this.sourceType }];
  }
}

export class ObjectCollection {
  /** Ascending id order, including archived and merged records (filtered on read). */
  readonly records: StoredRecord[] = [];
  nextId: number;
  /** Bumped on every change; search caches are keyed on it. */
  version = 0;
  searchDelayMs = 0;
  private readonly pendingIds = new Set<number>();
  private readonly uniqueIndexes = new Map<string, Map<string, number>>();

  constructor(
    readonly type: ObjectType,
    readonly firstId: number,
  ) {
    this.nextId = firstId;
  }

  clear(): void {
    this.records.length = 0;
    this.nextId = this.firstId;
    this.version++;
    this.pendingIds.clear();
    this.uniqueIndexes.clear();
  }

  /** Index of the first record with id >= `id`. */
  lowerBound(id: number): number {
    const a = this.records;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid]!.id < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get(id: number): StoredRecord | undefined {
    const r = this.records[this.lowerBound(id)];
    return r && r.id === id ? r : undefined;
  }

  /** Follows merges, as HubSpot resolves a merged-away id to the surviving record. */
  resolve(id: number): StoredRecord | undefined {
    let r = this.get(id);
    for (let hops = 0; r && r.mergedInto !== 0 && hops < 100; hops++) r = this.get(r.mergedInto);
    return r;
  }

  allocateId(): number {
    return this.nextId++;
  }

  insert(rec: StoredRecord, now: number): void {
    const last = this.records[this.records.length - 1];
    if (!last || last.id < rec.id) this.records.push(rec);
    else this.records.splice(this.lowerBound(rec.id), 0, rec);
    if (rec.id >= this.nextId) this.nextId = rec.id + 1;
    for (const [prop, index] of this.uniqueIndexes) {
      const v = rec.props[prop];
      if (v) index.set(v.toLowerCase(), rec.id);
    }
    if (this.searchDelayMs > 0) {
      rec.pending = { visibleAt: now + this.searchDelayMs, view: null };
      this.pendingIds.add(rec.id);
    }
    this.version++;
  }

  /** Bulk load from the generator: records must arrive in ascending id order. */
  adopt(recs: StoredRecord[]): void {
    for (const r of recs) this.records.push(r);
    const last = this.records[this.records.length - 1];
    if (last && last.id >= this.nextId) this.nextId = last.id + 1;
    this.uniqueIndexes.clear();
    this.version++;
  }

  /** Records after `afterId` (inclusive lower bound), O(page). */
  page(fromId: number, limit: number, archived: boolean): { items: StoredRecord[]; next: number | undefined } {
    const items: StoredRecord[] = [];
    const a = this.records;
    let i = this.lowerBound(fromId);
    for (; i < a.length; i++) {
      const r = a[i]!;
      if (r.mergedInto !== 0 || r.archived !== archived) continue;
      if (items.length === limit) return { items, next: r.id };
      items.push(r);
    }
    return { items, next: undefined };
  }

  liveCount(): number {
    let n = 0;
    for (const r of this.records) if (r.live) n++;
    return n;
  }

  findByUnique(prop: string, value: string): StoredRecord | undefined {
    let index = this.uniqueIndexes.get(prop);
    if (!index) {
      index = new Map();
      for (const r of this.records) {
        const v = r.props[prop];
        if (v && r.live) index.set(v.toLowerCase(), r.id);
      }
      this.uniqueIndexes.set(prop, index);
    }
    const id = index.get(value.toLowerCase());
    if (id === undefined) return undefined;
    const r = this.get(id);
    if (!r || !r.live || r.props[prop]?.toLowerCase() !== value.toLowerCase()) return undefined;
    return r;
  }

  private snapshotForSearch(rec: StoredRecord, now: number): void {
    if (this.searchDelayMs <= 0) return;
    if (rec.pending) {
      rec.pending.visibleAt = now + this.searchDelayMs;
      return;
    }
    const view = new StoredRecord(rec.id, { ...rec.props }, rec.createdAt, rec.updatedAt, rec.sourceType);
    view.archived = rec.archived;
    rec.pending = { visibleAt: now + this.searchDelayMs, view };
    this.pendingIds.add(rec.id);
  }

  /** True while some change is not yet visible to search (search results cannot be cached). */
  hasPendingSearch(now: number): boolean {
    if (this.pendingIds.size === 0) return false;
    for (const id of this.pendingIds) {
      const r = this.get(id);
      if (!r || !r.pending || r.pending.visibleAt <= now) {
        if (r) r.pending = null;
        this.pendingIds.delete(id);
      }
    }
    return this.pendingIds.size > 0;
  }

  /**
   * Applies property changes, keeping per-property history. "" removes a value. Returns
   * the names that actually changed.
   */
  applyChanges(rec: StoredRecord, changes: Props, source: ChangeSource, now: number): string[] {
    const changed: string[] = [];
    for (const [name, value] of Object.entries(changes)) {
      const old = rec.props[name];
      if ((old ?? "") === value) continue;
      if (changed.length === 0) this.snapshotForSearch(rec, now);
      changed.push(name);
      if (!rec.history) rec.history = new Map();
      let h = rec.history.get(name);
      if (!h) {
        h = old === undefined ? [] : [{ value: old, timestamp: rec.createdAt, sourceType: rec.sourceType }];
        rec.history.set(name, h);
      }
      const entry: HistoryEntry = { value, timestamp: now, sourceType: source.sourceType };
      if (source.sourceId !== undefined) entry.sourceId = source.sourceId;
      if (source.updatedByUserId !== undefined) entry.updatedByUserId = source.updatedByUserId;
      h.push(entry);
      if (value === "") delete rec.props[name];
      else rec.props[name] = value;
      const index = this.uniqueIndexes.get(name);
      if (index) {
        if (old) index.delete(old.toLowerCase());
        if (value) index.set(value.toLowerCase(), rec.id);
      }
    }
    if (changed.length > 0) {
      rec.updatedAt = Math.max(now, rec.updatedAt + 1);
      this.version++;
    }
    return changed;
  }

  /**
   * A HubSpot user (or an import) back-dating a record: HubSpot lets `createdate` be set,
   * and the record's `createdAt` follows it. It counts as a change (last-modified moves).
   */
  setCreatedAt(rec: StoredRecord, createdAt: number, now: number): void {
    if (rec.createdAt === createdAt) return;
    this.snapshotForSearch(rec, now);
    rec.createdAt = createdAt;
    rec.updatedAt = Math.max(now, rec.updatedAt + 1);
    this.version++;
  }

  archive(rec: StoredRecord, now: number): void {
    if (rec.archived) return;
    this.snapshotForSearch(rec, now);
    rec.archived = true;
    rec.archivedAt = now;
    rec.updatedAt = now;
    for (const [prop, index] of this.uniqueIndexes) {
      const v = rec.props[prop];
      if (v && index.get(v.toLowerCase()) === rec.id) index.delete(v.toLowerCase());
    }
    this.version++;
  }

  restore(rec: StoredRecord, now: number): void {
    if (!rec.archived) return;
    this.snapshotForSearch(rec, now);
    rec.archived = false;
    rec.archivedAt = 0;
    rec.updatedAt = now;
    this.uniqueIndexes.clear();
    this.version++;
  }

  markMerged(rec: StoredRecord, into: number, now: number): void {
    this.snapshotForSearch(rec, now);
    rec.mergedInto = into;
    rec.updatedAt = now;
    this.uniqueIndexes.clear();
    this.version++;
  }
}
