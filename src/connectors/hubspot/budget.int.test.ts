// The budget against the emulator with its rate limits ON: bursts wait for capacity instead of
// meeting 429s. The emulator's rolling window is shortened to 1 s (same limit) to keep it quick.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PRIVATE_APP_TOKEN, startEmulator } from "../../../emulator/index.ts";
import type { RunningEmulator } from "../../../emulator/index.ts";
import { PortalBudget } from "./budget.ts";
import type { PortalBudgetOptions } from "./budget.ts";
import { createHubSpotClient } from "./client.ts";
import type { HubSpotClient } from "./client.ts";
import { staticTokenAuth } from "./transport.ts";
import { CallCounter } from "./types.ts";

let emu: RunningEmulator;
let ids: string[];
const windowMs = 1_000;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, seed: 9, companies: 300, deals: 0, contacts: 0 });
  ids = emu.store.objects.companies.records.map((r) => String(r.id));
});

afterAll(async () => {
  await emu.close();
});

beforeEach(() => {
  const config = emu.store.rateLimiter.config;
  config.enabled = true;
  config.windowMs = windowMs;
  config.privateTenSecondMax = 100;
  delete config.privateDailyMax;
  config.searchPerSecond = 5;
  emu.store.rateLimiter.resetWindows();
  emu.store.counters.reset();
});

function clientWith(budget: PortalBudget | undefined, counter = new CallCounter(), maxAttempts = 5): HubSpotClient {
  return createHubSpotClient({
    baseUrl: emu.url,
    auth: staticTokenAuth(PRIVATE_APP_TOKEN),
    counter,
    ...(budget === undefined ? {} : { budget }),
    retry: { maxAttempts, baseDelayMs: 50, maxDelayMs: 500 },
  });
}

function budget(options: PortalBudgetOptions): PortalBudget {
  return new PortalBudget(String(emu.store.portalId), { intervalMs: windowMs, ...options });
}

const rateLimited = (): number => emu.store.counters.snapshot().statuses["429"] ?? 0;

describe("budget against the emulator's limits", () => {
  it("the limit bites: an unbudgeted burst of 300 meets 429s", async () => {
    // A window far longer than the burst: on a busy machine 300 calls can spread past 1 s, and
    // a rolling 1-s window would then admit more of them. Only the count in the window matters here.
    emu.store.rateLimiter.config.windowMs = 60_000;
    const client = clientWith(undefined, new CallCounter(), 1);
    const results = await Promise.allSettled(ids.map((id) => client.getObject("companies", id)));
    expect(results.filter((r) => r.status === "rejected").length).toBeGreaterThan(100);
    expect(rateLimited()).toBeGreaterThan(100);
  });

  it("keeps a burst of 300 calls under the limit with zero 429s", { timeout: 30_000 }, async () => {
    const shared = budget({ limit: 100, reservedShare: 0 });
    const counter = new CallCounter();
    const client = clientWith(shared, counter);
    const started = Date.now();
    const records = await Promise.all(ids.map((id) => client.getObject("companies", id, { properties: ["name"] })));
    expect(records.every((r) => r !== null)).toBe(true);
    expect(emu.store.counters.get("companies.get")).toBe(300);
    expect(rateLimited()).toBe(0);
    const stats = shared.stats();
    expect(stats.rateLimited).toBe(0);
    expect(stats.admitted.standard).toBe(300);
    expect(stats.waits).toBeGreaterThan(0);
    expect(stats.waitedMs).toBeGreaterThan(0);
    expect(counter.waits).toBeGreaterThan(0);
    // 300 calls at ≤ 100 a window take at least two full windows.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * windowMs);
  });

  it("shares one portal budget between clients, leaving the reserved share free", { timeout: 30_000 }, async () => {
    const shared = budget({ limit: 100, reservedShare: 0.2 });
    const a = clientWith(shared);
    const b = clientWith(shared);
    const half = ids.slice(0, 150);
    await Promise.all([...half.map((id) => a.getObject("companies", id)), ...half.map((id) => b.getObject("companies", id))]);
    expect(rateLimited()).toBe(0);
    expect(shared.stats().admitted.standard).toBe(300);
    // Another integration of the portal still has room: 20 calls right after the burst all pass.
    const other = clientWith(undefined, new CallCounter(), 1);
    const theirs = await Promise.allSettled(ids.slice(0, 15).map((id) => other.getObject("companies", id)));
    expect(theirs.filter((r) => r.status === "rejected")).toEqual([]);
  });

  it("paces searches at the per-second limit with zero 429s", { timeout: 30_000 }, async () => {
    const shared = budget({ limit: 100 });
    const client = clientWith(shared);
    const pages = await Promise.all(Array.from({ length: 12 }, () => client.searchObjects("companies", { properties: ["name"], limit: 10 })));
    expect(pages.every((p) => p.results.length === 10)).toBe(true);
    expect(emu.store.counters.get("companies.search")).toBe(12);
    expect(rateLimited()).toBe(0);
    expect(shared.stats().admitted.search).toBe(12);
  });

  it("adopts the lower limit HubSpot's headers report", { timeout: 30_000 }, async () => {
    emu.store.rateLimiter.config.privateTenSecondMax = 40;
    const shared = budget({ limit: 100, reservedShare: 0 });
    const client = clientWith(shared);
    // A first call teaches the budget the portal's real limit before the burst.
    await client.getObject("companies", ids[0] ?? "");
    expect(shared.stats().limit).toBe(40);
    const records = await Promise.all(ids.slice(0, 100).map((id) => client.getObject("companies", id)));
    expect(records.every((r) => r !== null)).toBe(true);
    expect(rateLimited()).toBe(0);
  });

  it("stops before the daily limit instead of spending the reserved share", { timeout: 30_000 }, async () => {
    emu.store.rateLimiter.config.privateDailyMax = 30;
    const shared = budget({ limit: 100, reservedShare: 0.2 });
    const client = clientWith(shared);
    const results: Array<"ok" | string> = [];
    for (const id of ids.slice(0, 40)) {
      results.push(await client.getObject("companies", id).then(() => "ok", (e: { kind: string; policyName?: string }) => `${e.kind}:${e.policyName ?? ""}`));
    }
    const sent = emu.store.counters.get("companies.get");
    expect(sent).toBe(30 - Math.ceil(30 * 0.2));
    expect(results.filter((r) => r === "ok").length).toBe(sent);
    expect(results.slice(sent).every((r) => r === "rate_limited:DAILY")).toBe(true);
    expect(rateLimited()).toBe(0);
  });

  it("does not retry a daily 429", async () => {
    emu.store.rateLimiter.config.privateDailyMax = 3;
    const client = clientWith(undefined);
    for (const id of ids.slice(0, 3)) await client.getObject("companies", id);
    await expect(client.getObject("companies", ids[3] ?? "")).rejects.toMatchObject({ kind: "rate_limited", policyName: "DAILY", attempts: 1 });
    expect(emu.store.counters.get("companies.get")).toBe(4);
  });
});
