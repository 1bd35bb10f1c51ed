import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../index.ts";
import { api, control } from "./helpers.ts";

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ seed: 1, companies: 30, deals: 10, contacts: 10 });
});

afterAll(async () => {
  await emu.close();
});

beforeEach(async () => {
  await control(emu.url, "/rate-limits", { enabled: true, privateAppTier: "starter", searchPerSecond: 5 }, "PUT");
  await control(emu.url, "/rate-limits/reset", {});
});

const search = (token?: string) =>
  api(emu.url, "/crm/objects/2026-09/companies/search", { body: { limit: 1 }, ...(token ? { token } : {}) });

describe("ten-second rolling limit", () => {
  it("counts down X-HubSpot-RateLimit-Remaining and answers 429 with HubSpot's body after 100 calls", async () => {
    const remaining: number[] = [];
    for (let i = 0; i < 100; i++) {
      const r = await api(emu.url, "/crm/objects/2026-09/companies?limit=1");
      expect(r.status).toBe(200);
      expect(r.headers.get("x-hubspot-ratelimit-max")).toBe("100");
      expect(r.headers.get("x-hubspot-ratelimit-interval-milliseconds")).toBe("10000");
      remaining.push(Number(r.headers.get("x-hubspot-ratelimit-remaining")));
    }
    expect(remaining[0]).toBe(99);
    expect(remaining[99]).toBe(0);
    expect(remaining.every((v, i) => i === 0 || v === remaining[i - 1]! - 1)).toBe(true);
    const limited = await api(emu.url, "/crm/objects/2026-09/companies?limit=1");
    expect(limited.status).toBe(429);
    expect(Object.keys(limited.body).sort()).toEqual(["correlationId", "errorType", "message", "policyName", "status"]);
    expect(limited.body).toMatchObject({
      status: "error",
      message: "You have reached your ten_secondly_rolling limit.",
      errorType: "RATE_LIMIT",
      policyName: "TEN_SECONDLY_ROLLING",
    });
    // The window rolls: ten seconds later the budget is back.
    emu.store.clock.advance(10_001);
    const again = await api(emu.url, "/crm/objects/2026-09/companies?limit=1");
    expect(again.status).toBe(200);
    expect(again.headers.get("x-hubspot-ratelimit-remaining")).toBe("99");
  });

  it("uses 190 for professional private apps and 110 without daily headers for OAuth apps", async () => {
    await control(emu.url, "/tokens/private", { token: "pat-pro", tier: "professional" });
    const pro = await api(emu.url, "/crm/objects/2026-09/companies?limit=1", { token: "pat-pro" });
    expect(pro.headers.get("x-hubspot-ratelimit-max")).toBe("190");
    expect(pro.headers.get("x-hubspot-ratelimit-daily")).toBe("625000");
    const oauth = await control(emu.url, "/tokens/oauth", {});
    const r = await api(emu.url, "/crm/objects/2026-09/companies?limit=1", { token: oauth.body.access_token });
    expect(r.headers.get("x-hubspot-ratelimit-max")).toBe("110");
    expect(r.headers.get("x-hubspot-ratelimit-remaining")).toBe("109");
    expect(r.headers.get("x-hubspot-ratelimit-daily")).toBeNull();
  });

  it("sends the -Secondly pair a tenth of the ten-second limit, and no rate-limit headers on search", async () => {
    const first = await api(emu.url, "/crm/objects/2026-09/companies?limit=1");
    expect(first.headers.get("x-hubspot-ratelimit-secondly")).toBe("10");
    expect(first.headers.get("x-hubspot-ratelimit-secondly-remaining")).toBe("9");
    const second = await api(emu.url, "/crm/objects/2026-09/companies?limit=1");
    expect(second.headers.get("x-hubspot-ratelimit-secondly-remaining")).toBe("8");
    emu.store.clock.advance(1_001);
    expect((await api(emu.url, "/crm/objects/2026-09/companies?limit=1")).headers.get("x-hubspot-ratelimit-secondly-remaining")).toBe("9");
    const oauth = await control(emu.url, "/tokens/oauth", {});
    const o = await api(emu.url, "/crm/objects/2026-09/companies?limit=1", { token: oauth.body.access_token });
    expect(o.headers.get("x-hubspot-ratelimit-secondly")).toBe("11");
    const s = await search();
    expect(s.status).toBe(200);
    const names: string[] = [];
    s.headers.forEach((_v, name) => names.push(name));
    expect(names.filter((h) => h.startsWith("x-hubspot-ratelimit"))).toEqual([]);
    expect(s.headers.get("x-hubspot-correlation-id")).toBeTruthy();
  });

  it("limits service keys like private apps (their own window, the daily headers)", async () => {
    const key = (await control(emu.url, "/service-keys", { tier: "enterprise" })).body.key as string;
    const r = await api(emu.url, "/crm/objects/2026-09/companies?limit=1", { token: key });
    expect(r.status).toBe(200);
    expect(r.headers.get("x-hubspot-ratelimit-max")).toBe("190");
    expect(r.headers.get("x-hubspot-ratelimit-daily")).toBe("1000000");
    for (let i = 0; i < 189; i++) await api(emu.url, "/crm/objects/2026-09/companies?limit=1", { token: key });
    expect((await api(emu.url, "/crm/objects/2026-09/companies?limit=1", { token: key })).status).toBe(429);
    expect((await api(emu.url, "/crm/objects/2026-09/companies?limit=1")).status).toBe(200);
  });

  it("keeps a separate window per token", async () => {
    await control(emu.url, "/tokens/private", { token: "pat-other" });
    for (let i = 0; i < 100; i++) await api(emu.url, "/crm/objects/2026-09/companies?limit=1");
    expect((await api(emu.url, "/crm/objects/2026-09/companies?limit=1")).status).toBe(429);
    expect((await api(emu.url, "/crm/objects/2026-09/companies?limit=1", { token: "pat-other" })).status).toBe(200);
  });
});

describe("daily limit", () => {
  it("answers 429 DAILY when the private-app daily budget is spent", async () => {
    await control(emu.url, "/rate-limits", { privateDailyMax: 3 }, "PUT");
    for (let i = 0; i < 3; i++) {
      const r = await api(emu.url, "/crm/objects/2026-09/companies?limit=1");
      expect(r.headers.get("x-hubspot-ratelimit-daily-remaining")).toBe(String(2 - i));
    }
    const r = await api(emu.url, "/crm/objects/2026-09/companies?limit=1");
    expect(r.status).toBe(429);
    expect(r.body).toMatchObject({ message: "You have reached your daily limit.", policyName: "DAILY", errorType: "RATE_LIMIT" });
    await control(emu.url, "/rate-limits", { privateDailyMax: 1_000_000 }, "PUT");
  });
});

describe("search limit", () => {
  it("allows 5 searches a second, then 429 SECONDLY, apart from the ten-second window", async () => {
    for (let i = 0; i < 5; i++) {
      const r = await search();
      expect(r.status).toBe(200);
      expect(r.headers.get("x-hubspot-ratelimit-remaining")).toBeNull();
    }
    const limited = await search();
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ message: "You have reached your secondly limit.", policyName: "SECONDLY", errorType: "RATE_LIMIT" });
    // Non-search calls are unaffected.
    const list = await api(emu.url, "/crm/objects/2026-09/companies?limit=1");
    expect(list.status).toBe(200);
    expect(list.headers.get("x-hubspot-ratelimit-remaining")).toBe("99");
    emu.store.clock.advance(1001);
    expect((await search()).status).toBe(200);
  });

  it("rateLimits:false turns every limit off", async () => {
    await control(emu.url, "/rate-limits", { enabled: false }, "PUT");
    for (let i = 0; i < 12; i++) expect((await search()).status).toBe(200);
    const r = await api(emu.url, "/crm/objects/2026-09/companies?limit=1");
    expect(r.headers.get("x-hubspot-ratelimit-remaining")).toBeNull();
  });
});
