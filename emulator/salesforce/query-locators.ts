import { KEY_PREFIXES, makeId } from "./ids.ts";
import type { SfRecord } from "./records.ts";
import type { CompiledQuery } from "./soql/compile.ts";

/**
 * Open query cursors. A cursor keeps the matching rows of its query (the values are read when a
 * page is served) and dies after 15 minutes without use, as Salesforce's do.
 */
export interface QueryCursor {
  id: string;
  rows: SfRecord[];
  query: CompiledQuery;
  includeDeleted: boolean;
  lastUsed: number;
}

const IDLE_MS = 15 * 60 * 1000;

export class QueryLocators {
  private readonly cursors = new Map<string, QueryCursor>();
  private counter = 0;

  open(rows: SfRecord[], query: CompiledQuery, includeDeleted: boolean, now: number): QueryCursor {
    this.counter++;
    const cursor: QueryCursor = { id: makeId(KEY_PREFIXES.QueryLocator, this.counter), rows, query, includeDeleted, lastUsed: now };
    this.cursors.set(cursor.id, cursor);
    return cursor;
  }

  get(id: string, now: number): QueryCursor | undefined {
    const c = this.cursors.get(id);
    if (!c) return undefined;
    if (now - c.lastUsed > IDLE_MS) {
      this.cursors.delete(id);
      return undefined;
    }
    c.lastUsed = now;
    return c;
  }

  close(id: string): void {
    this.cursors.delete(id);
  }

  get openCount(): number {
    return this.cursors.size;
  }

  clear(): void {
    this.cursors.clear();
  }
}
