import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../index.ts";
import { api, control } from "./helpers.ts";

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ seed: 3, companies: 40, deals: 10, contacts: 10, rateLimits: false });
});

afterAll(async () => {
  await emu.close();
});

beforeEach(async () => {
  await control(emu.url, "/faults", undefined, "DELETE");
});

const searchCompanies = () => api(emu.url, "/crm/objects/2026-09/companies/search", { body: { limit: 5 } });

describe("fault injection", () => {
  it("scripts the next 3 companies searches to answer 503, then recovers", async () => {
    const rule = await control(emu.url, "/faults", { endpoint: "companies.search", kind: "status", status: 503, count: 3 });
    expect(rule.status).toBe(201);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await searchCompanies()).status);
    expect(statuses).toEqual([503, 503, 503, 200]);
    // Other endpoints were never affected.
    expect((await control(emu.url, "/faults")).body.faults).toEqual([]);
  });

  it("answers 500 as JSON, 502 as an HTML gateway page and 429 with the rate-limit body", async () => {
    emu.store.faults.add({ endpoint: "companies.list", kind: "status", status: 500, count: 1 });
    emu.store.faults.add({ endpoint: "deals.list", kind: "status", status: 502, count: 1 });
    emu.store.faults.add({ endpoint: "contacts.list", kind: "status", status: 429, count: 1 });
    const e500 = await api(emu.url, "/crm/objects/2026-09/companies");
    expect(e500.status).toBe(500);
    expect(e500.body).toMatchObject({ status: "error", category: "INTERNAL_ERROR" });
    const e502 = await api(emu.url, "/crm/objects/2026-09/deals");
    expect(e502.status).toBe(502);
    expect(e502.headers.get("content-type")).toContain("text/html");
    const e429 = await api(emu.url, "/crm/objects/2026-09/contacts");
    expect(e429.status).toBe(429);
    expect(e429.body).toMatchObject({ policyName: "TEN_SECONDLY_ROLLING", errorType: "RATE_LIMIT" });
  });

  it("slows answers down", async () => {
    emu.store.faults.add({ endpoint: "companies.list", kind: "slow", delayMs: 250, count: 1 });
    const started = Date.now();
    const r = await api(emu.url, "/crm/objects/2026-09/companies?limit=1");
    expect(r.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });

  it("hangs until the client gives up (timeout)", async () => {
    emu.store.faults.add({ endpoint: "companies.get", kind: "hang", count: 1 });
    const id = emu.store.objects.companies.records[0]!.id;
    const err = await fetch(`${emu.url}/crm/objects/2026-09/companies/${id}`, {
      headers: { authorization: "Bearer pat-emulator-0000" },
      signal: AbortSignal.timeout(300),
    }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe("TimeoutError");
  });

  it("truncates JSON bodies and sends malformed JSON", async () => {
    emu.store.faults.add({ endpoint: "companies.list", kind: "truncated", count: 1 });
    const truncated = await api(emu.url, "/crm/objects/2026-09/companies?limit=5");
    expect(truncated.status).toBe(200);
    expect(truncated.body).toBeUndefined();
    expect(truncated.text.startsWith('{"results":[')).toBe(true);
    emu.store.faults.add({ endpoint: "companies.list", kind: "malformed", count: 1 });
    const malformed = await api(emu.url, "/crm/objects/2026-09/companies?limit=5");
    expect(malformed.status).toBe(200);
    expect(() => JSON.parse(malformed.text)).toThrow();
    expect((await api(emu.url, "/crm/objects/2026-09/companies?limit=5")).body.results).toHaveLength(5);
  });

  it("resets the connection", async () => {
    emu.store.faults.add({ endpoint: "companies.*", kind: "reset", count: 1 });
    await expect(fetch(`${emu.url}/crm/objects/2026-09/companies`, { headers: { authorization: "Bearer pat-emulator-0000" } })).rejects.toThrow();
  });

  it("applies probabilistic faults deterministically from the fault seed", async () => {
    emu.store.faults.clear(99);
    emu.store.faults.add({ endpoint: "*", kind: "status", status: 503, probability: 0.5 });
    const a: number[] = [];
    for (let i = 0; i < 40; i++) a.push((await api(emu.url, "/crm/objects/2026-09/companies?limit=1")).status);
    emu.store.faults.clear(99);
    emu.store.faults.add({ endpoint: "*", kind: "status", status: 503, probability: 0.5 });
    const b: number[] = [];
    for (let i = 0; i < 40; i++) b.push((await api(emu.url, "/crm/objects/2026-09/companies?limit=1")).status);
    expect(a).toEqual(b);
    const failures = a.filter((s) => s === 503).length;
    expect(failures).toBeGreaterThan(5);
    expect(failures).toBeLessThan(35);
  });
});
