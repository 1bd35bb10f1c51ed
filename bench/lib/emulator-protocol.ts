// Messages between the benchmark and its emulator process.
export type EmulatorRequest =
  | { id: number; op: "catalog" }
  | { id: number; op: "counters" }
  | { id: number; op: "resetCounters" }
  | { id: number; op: "mutate"; share: number }
  | { id: number; op: "contactList" }
  | { id: number; op: "mutateContacts"; share: number; offset: number }
  | { id: number; op: "memory" }
  | { id: number; op: "rateLimits"; enabled: boolean }
  | { id: number; op: "close" };

export type EmulatorResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

export interface PortalCatalog {
  /** Primary domains that exactly one company holds (a customer with one links). */
  unique: string[];
  /** Domains several companies hold (a customer with one stays unlinked as ambiguous). */
  ambiguous: string[];
  /** Ids of companies with at least one deal, for Save & Sync. */
  companiesWithDeals: string[];
}

export interface EmulatorReady {
  url: string;
  token: string;
  startMs: number;
  stats: Record<string, number>;
}
