import { describe, expect, it } from "vitest";
import { recoveryMs, RunBudget, runAllowance, sharePauseMs } from "./budget.ts";
import { parseLimitInfo, usageFromLimits } from "./limit-info.ts";

const hour = 3_600_000;

describe("Sforce-Limit-Info", () => {
  it.each([
    ["api-usage=18/15000", { used: 18, max: 15000 }],
    ["api-usage=25/5000, per-app-api-usage=17/250(appName=sample-connected-app)", { used: 25, max: 5000 }],
    ["per-app-api-usage=17/250(appName=x), api-usage=3/100000", { used: 3, max: 100000 }],
    [" API-USAGE = 7 / 10 ", { used: 7, max: 10 }],
  ])("reads %j", (header, usage) => {
    expect(parseLimitInfo(header)).toEqual(usage);
  });

  it.each([null, "", "api-usage=", "api-usage=5/0", "api-usage=a/b", "per-app-api-usage=1/2(appName=x)"])("ignores %j", (header) => {
    expect(parseLimitInfo(header)).toBeNull();
  });

  it("reads DailyApiRequests of /limits as calls used", () => {
    expect(usageFromLimits({ DailyApiRequests: { Max: 15000, Remaining: 14998 } })).toEqual({ used: 2, max: 15000 });
    expect(usageFromLimits({ DailyBulkApiBatches: { Max: 1, Remaining: 1 } })).toBeNull();
  });
});

describe("a run's share of the daily allocation", () => {
  const options = { share: 0.25, ceiling: 0.8 };

  it("is a quarter of what remains, within the 80% ceiling", () => {
    expect(runAllowance({ used: 0, max: 100_000 }, options)).toBe(25_000);
    expect(runAllowance({ used: 60_000, max: 100_000 }, options)).toBe(10_000);
    // Only 5,000 calls below the ceiling: the share (7,500) would pass it.
    expect(runAllowance({ used: 75_000, max: 100_000 }, options)).toBe(5_000);
    expect(runAllowance({ used: 90_000, max: 100_000 }, options)).toBe(0);
  });

  it("admits calls up to the share, then stops for an hour", () => {
    const budget = new RunBudget(options);
    budget.begin({ used: 0, max: 40 });
    const admitted = Array.from({ length: 12 }, () => budget.admit()).filter((stop) => stop === null).length;
    expect(admitted).toBe(10);
    expect(budget.admit()).toMatchObject({ limit: "share", retryAfterMs: sharePauseMs });
  });

  it("stops before usage passes the ceiling, whoever spent it, and waits for it to roll off", () => {
    const budget = new RunBudget(options);
    budget.begin({ used: 0, max: 1000 });
    expect(budget.admit()).toBeNull();
    // Other integrations of the org spent most of the allocation meanwhile.
    budget.observe({ used: 800, max: 1000 });
    const stop = budget.admit();
    expect(stop?.limit).toBe("ceiling");
    // 800 calls spread over a day, down to 72%: 80 of them must roll off, a tenth of a day.
    expect(Math.abs((stop?.retryAfterMs ?? 0) - 2.4 * hour)).toBeLessThanOrEqual(1);
  });

  it("admits every call before it knows the org's usage", () => {
    const budget = new RunBudget(options);
    expect(budget.admit()).toBeNull();
    expect(budget.stats().spent).toBe(1);
  });

  it("estimates recovery of an exhausted org within 15 minutes and a day", () => {
    // 28% of the calls must roll off: 28% of a day, 6 h 43 min.
    expect(Math.abs(recoveryMs({ used: 15_000, max: 15_000 }, 0.72) - 24_192_000)).toBeLessThanOrEqual(1);
    expect(recoveryMs({ used: 10, max: 15_000 }, 0.72)).toBe(15 * 60_000);
    expect(recoveryMs({ used: 0, max: 15_000 }, 0.72)).toBe(15 * 60_000);
  });
});
