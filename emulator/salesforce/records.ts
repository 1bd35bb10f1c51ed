import type { RecordValues } from "./fields.ts";
import { makeId } from "./ids.ts";
import type { ObjectName } from "./schema.ts";

/** One stored record; `values` holds every field by its API name, system fields included. */
export interface SfRecord {
  id: string;
  object: ObjectName;
  values: RecordValues;
}

/** The records of one object in creation order, which is also Id order. */
export class RecordTable {
  private readonly byId = new Map<string, SfRecord>();
  private counter = 0;

  constructor(
    readonly object: ObjectName,
    private readonly prefix: string,
  ) {}

  nextId(): string {
    this.counter++;
    return makeId(this.prefix, this.counter);
  }

  insert(rec: SfRecord): void {
    this.byId.set(rec.id, rec);
  }

  get(id: string): SfRecord | undefined {
    return this.byId.get(id);
  }

  /** A hard delete (purged from the recycle bin): gone from queryAll too. */
  purge(id: string): boolean {
    return this.byId.delete(id);
  }

  all(): IterableIterator<SfRecord> {
    return this.byId.values();
  }

  get size(): number {
    return this.byId.size;
  }

  clear(): void {
    this.byId.clear();
    this.counter = 0;
  }
}
