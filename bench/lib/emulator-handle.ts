// The benchmark's side of bench/emulator-process.ts.
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { PRIVATE_APP_TOKEN, startEmulator, type CounterSnapshot } from "../../emulator/index.ts";
import { catalog, contactList, mutate, mutateContacts, setRateLimits } from "./emulator-ops.ts";
import type { EmulatorReady, EmulatorRequest, EmulatorResponse, PortalCatalog } from "./emulator-protocol.ts";

type Op = EmulatorRequest extends infer R ? (R extends { op: infer O } ? O : never) : never;

export interface EmulatorHandle extends EmulatorReady {
  catalog(): Promise<PortalCatalog>;
  counters(): Promise<CounterSnapshot>;
  resetCounters(): Promise<void>;
  /** HubSpot's rate limits on or off. */
  rateLimits(enabled: boolean): Promise<void>;
  mutate(share: number): Promise<{ companies: number; deals: number }>;
  /** Creates a HubSpot list of every live contact. */
  contactList(): Promise<{ listId: string; members: number }>;
  /** Changes `share` of the contacts in HubSpot; `offset` picks which (see emulator-ops.ts). */
  mutateContacts(share: number, offset: number): Promise<{ contacts: number; lastChangeMs: number }>;
  memory(): Promise<{ rssBytes: number; maxRssBytes: number }>;
  close(): Promise<void>;
}

export async function startEmulatorProcess(options: { seed: number; companies: number; deals: number; contacts: number }): Promise<EmulatorHandle> {
  const script = fileURLToPath(new URL("../emulator-process.ts", import.meta.url));
  // The emulator keeps the whole portal in memory (about 1 GB of heap for the large size).
  const child: ChildProcess = fork(script, [JSON.stringify(options)], {
    execArgv: ["--import", "tsx", "--max-old-space-size=4096"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let exited = false;
  const ready = new Promise<EmulatorReady>((resolve, reject) => {
    pending.set(0, { resolve: (v) => resolve(v as EmulatorReady), reject });
  });
  child.on("message", (raw) => {
    const message = raw as EmulatorResponse;
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(new Error(`emulator: ${message.error}`));
  });
  child.on("exit", (code, signal) => {
    exited = true;
    for (const waiter of pending.values()) waiter.reject(new Error(`emulator process exited (${code ?? signal})`));
    pending.clear();
  });

  function ask<T>(op: Op, extra: Record<string, unknown> = {}): Promise<T> {
    if (exited) return Promise.reject(new Error("emulator process has exited"));
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: (v) => resolve(v as T), reject });
      child.send({ id, op, ...extra });
    });
  }

  const info = await ready;
  return {
    ...info,
    catalog: () => ask<PortalCatalog>("catalog"),
    counters: () => ask<CounterSnapshot>("counters"),
    resetCounters: () => ask<void>("resetCounters"),
    rateLimits: (enabled) => ask<void>("rateLimits", { enabled }),
    mutate: (share) => ask("mutate", { share }),
    contactList: () => ask("contactList"),
    mutateContacts: (share, offset) => ask("mutateContacts", { share, offset }),
    memory: () => ask("memory"),
    async close() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      await ask<void>("close").catch(() => undefined);
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** The emulator in this process (the test's way: no second process to start). */
export async function startEmulatorInProcess(options: { seed: number; companies: number; deals: number; contacts: number }): Promise<EmulatorHandle> {
  const started = performance.now();
  const emu = await startEmulator({ port: 0, ...options, rateLimits: false });
  const startMs = performance.now() - started;
  return {
    url: emu.url,
    token: PRIVATE_APP_TOKEN,
    startMs,
    stats: emu.store.stats(),
    catalog: () => Promise.resolve(catalog(emu.store)),
    counters: () => Promise.resolve(emu.store.counters.snapshot()),
    resetCounters: () => Promise.resolve(emu.store.counters.reset()),
    rateLimits: (enabled) => Promise.resolve(void setRateLimits(emu.store, enabled)),
    mutate: (share) => Promise.resolve(mutate(emu.store, share)),
    contactList: () => Promise.resolve(contactList(emu.store)),
    mutateContacts: (share, offset) => Promise.resolve(mutateContacts(emu.store, share, offset)),
    memory: () => Promise.resolve({ rssBytes: process.memoryUsage().rss, maxRssBytes: process.resourceUsage().maxRSS * 1024 }),
    close: () => emu.close(),
  };
}
