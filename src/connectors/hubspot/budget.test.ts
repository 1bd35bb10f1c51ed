import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PortalBudget, planSlots, readRateLimitHeaders, usableLimit } from "./budget.ts";
import type { SlotPlan } from "./budget.ts";

/**
 * The most calls a slot plan can admit in any window of `windowMs`, when calls may reach the
 * server up to `jitterMs` apart from when they were admitted: worst case, every slot is full
 * and the window straddles as many slots as it can.
 */
function worstCaseInWindow(plan: SlotPlan, windowMs: number, jitterMs: number): number {
  return plan.points * (Math.ceil((windowMs + jitterMs) / plan.durationMs) + 1);
}

describe("planSlots", () => {
  it("keeps any rolling window within the limit, jitter included", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 1_000 }), fc.integer({ min: 100, max: 20_000 }), fc.integer({ min: 0, max: 1_000 }), (limit, interval, margin) => {
        const plan = planSlots(limit, interval, margin);
        expect(plan.points).toBeGreaterThanOrEqual(1);
        expect(Number.isInteger(plan.durationMs)).toBe(true);
        expect(worstCaseInWindow(plan, interval, margin)).toBeLessThanOrEqual(limit);
      }),
    );
  });

  it("uses most of the limit", () => {
    // 110 per 10 s with a 250 ms margin: one call every ~95 ms, about 105 per 10 s.
    const plan = planSlots(110, 10_000, 250);
    expect((plan.points * 10_000) / plan.durationMs).toBeGreaterThan(100);
    const search = planSlots(5, 1_000, 100);
    expect((search.points * 1_000) / search.durationMs).toBeGreaterThanOrEqual(3.5);
  });

  it("still admits a call per interval for a limit of one", () => {
    expect(planSlots(1, 1_000, 100)).toEqual({ points: 1, durationMs: 1_100 });
  });
});

describe("usableLimit", () => {
  it("leaves the reserved share to other integrations", () => {
    expect(usableLimit(110, 0.2)).toBe(88);
    expect(usableLimit(190, 0)).toBe(190);
    expect(usableLimit(5, 0.99)).toBe(1);
  });
});

describe("readRateLimitHeaders", () => {
  it("reads HubSpot's headers and ignores missing or garbled ones", () => {
    const headers = new Headers({
      "X-HubSpot-RateLimit-Max": "110",
      "X-HubSpot-RateLimit-Remaining": "42",
      "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
      "X-HubSpot-RateLimit-Daily": "abc",
    });
    expect(readRateLimitHeaders(headers)).toEqual({ max: 110, remaining: 42, intervalMs: 10_000, dailyMax: undefined, dailyRemaining: undefined, secondly: undefined, secondlyRemaining: undefined });
  });

  it("reads the per-second headers real answers still carry", () => {
    const headers = new Headers({ "x-hubspot-ratelimit-secondly": "11", "x-hubspot-ratelimit-secondly-remaining": "10" });
    expect(readRateLimitHeaders(headers)).toMatchObject({ secondly: 11, secondlyRemaining: 10, max: undefined });
  });
});

describe("PortalBudget", () => {
  it("admits a burst at the planned pace and counts the waits", async () => {
    // 20 calls per 500 ms, no reserve: one call per slot of ~27 ms.
    const budget = new PortalBudget("1", { limit: 20, intervalMs: 500, marginMs: 0, reservedShare: 0 });
    const plan = budget.stats().plan.standard;
    const started = Date.now();
    const times: number[] = [];
    await Promise.all(Array.from({ length: 30 }, () => budget.acquire("standard").then(() => times.push(Date.now() - started))));
    const stats = budget.stats();
    expect(stats.admitted.standard).toBe(30);
    expect(stats.waits).toBeGreaterThan(0);
    expect(stats.waitedMs).toBeGreaterThan(0);
    // Rolling check on the admission times themselves.
    times.sort((a, b) => a - b);
    for (let i = 0; i < times.length; i++) {
      const inWindow = times.filter((t) => t >= (times[i] ?? 0) && t < (times[i] ?? 0) + 500).length;
      expect(inWindow).toBeLessThanOrEqual(20);
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(Math.floor(30 / plan.points - 1) * plan.durationMs - 5);
  });

  it("slows down when HubSpot reports less headroom than ours", () => {
    const budget = new PortalBudget("1", { limit: 100, reservedShare: 0.2 });
    // Others spent 60 of 100 while we spent nothing: 40 over the 20 we leave them.
    budget.observe("standard", { max: 100, remaining: 40, intervalMs: 10_000 });
    expect(budget.stats().slowdowns).toBe(1);
    budget.observe("standard", { max: 100, remaining: 90, intervalMs: 10_000 });
    expect(budget.stats().slowdowns).toBe(1);
  });

  it("waits out the second when HubSpot says the second's allowance is spent", async () => {
    const budget = new PortalBudget("1", { limit: 100, reservedShare: 0 });
    budget.observe("standard", { max: 110, remaining: 109, intervalMs: 10_000, secondly: 11, secondlyRemaining: 3 });
    expect(budget.stats().slowdowns).toBe(0);
    budget.observe("standard", { max: 110, remaining: 109, intervalMs: 10_000, secondly: 11, secondlyRemaining: 0 });
    expect(budget.stats().slowdowns).toBe(1);
    const started = Date.now();
    await budget.acquire("standard");
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("keeps what it learned when an answer carries no rate-limit headers (search answers)", () => {
    const budget = new PortalBudget("1", { limit: 190, reservedShare: 0 });
    budget.observe("standard", { max: 100, remaining: 99, intervalMs: 10_000 });
    const learned = budget.stats();
    budget.observe("search", readRateLimitHeaders(new Headers()));
    budget.observe("standard", readRateLimitHeaders(new Headers({ "x-hubspot-correlation-id": "019ce0f9-5b7d-7fd3-8190-9b7513aa725b" })));
    expect(budget.stats()).toEqual(learned);
    expect(learned.limit).toBe(100);
  });

  it("adopts a lower limit the portal reports", () => {
    const budget = new PortalBudget("1", { limit: 190, reservedShare: 0 });
    budget.observe("standard", { max: 100, remaining: 99, intervalMs: 10_000 });
    expect(budget.stats().limit).toBe(100);
    expect(budget.stats().plan.standard).toEqual(planSlots(100, 10_000, 250));
  });

  it("fails fast as rate_limited when the wait would pass maxWaitMs", async () => {
    const budget = new PortalBudget("1", { limit: 2, intervalMs: 60_000, reservedShare: 0, maxWaitMs: 50 });
    await budget.acquire("standard");
    await expect(budget.acquire("standard")).rejects.toMatchObject({ kind: "rate_limited" });
  });

  it("stops at the daily budget", async () => {
    const budget = new PortalBudget("1", { dailyLimit: 10, reservedShare: 0.2 });
    for (let i = 0; i < 8; i++) await budget.acquire("standard");
    await expect(budget.acquire("standard")).rejects.toMatchObject({ kind: "rate_limited", policyName: "DAILY" });
  });
});
