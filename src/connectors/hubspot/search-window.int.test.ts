// Incremental reads past HubSpot's 10,000-results-per-query cap, against the emulator's search.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PRIVATE_APP_TOKEN, startEmulator } from "../../../emulator/index.ts";
import type { RunningEmulator } from "../../../emulator/index.ts";
import { createHubSpotClient } from "./client.ts";
import type { HubSpotClient } from "./client.ts";
import { isHubSpotError } from "./errors.ts";
import type { ModifiedCursor } from "./search-window.ts";
import { staticTokenAuth } from "./transport.ts";
import { CallCounter } from "./types.ts";

let emu: RunningEmulator;
let client: HubSpotClient;
let counter: CallCounter;
let total: number;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, rateLimits: false, seed: 5, companies: 10_400, deals: 0, contacts: 0 });
  // Bulk imports give many records one modification time. 450 records at one instant (more
  // than a page, so that instant is read by id), then 700 in a tight loop (ties at page edges).
  const frozen = emu.store.now();
  for (let i = 0; i < 450; i++) {
    emu.store.clock.advance(frozen - emu.store.now());
    emu.store.addRecord("companies", { name: `Same instant ${i}`, domain: `instant-${i}.example` });
  }
  emu.store.clock.reset();
  for (let i = 0; i < 700; i++) emu.store.addRecord("companies", { name: `Tied ${i}`, domain: `tied-${i}.example` });
  total = emu.store.stats().companies ?? 0;
}, 60_000);

afterAll(async () => {
  await emu.close();
});

beforeEach(() => {
  emu.store.counters.reset();
  counter = new CallCounter();
  client = createHubSpotClient({ baseUrl: emu.url, auth: staticTokenAuth(PRIVATE_APP_TOKEN), counter });
});

describe("searchModifiedSince", () => {
  it("has more than 10,000 changed records to read, and the emulator refuses paging past 10,000", async () => {
    expect(total).toBeGreaterThan(11_000);
    const first = await client.searchObjects("companies", { properties: ["name"], limit: 1 });
    expect(first.total).toBe(total);
    await expect(client.searchObjects("companies", { properties: ["name"], after: "10000" })).rejects.toSatisfy(
      (error) => isHubSpotError(error, "bad_request"),
    );
  });

  it("reads every changed record exactly once", async () => {
    const seen = new Map<string, number>();
    let pages = 0;
    for await (const page of client.searchModifiedSince("companies", { since: 0, properties: ["name", "domain"] })) {
      pages++;
      for (const record of page.results) {
        seen.set(record.id, (seen.get(record.id) ?? 0) + 1);
        expect(record.properties.name).toBeTypeOf("string");
      }
    }
    expect(seen.size).toBe(total);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    const searches = emu.store.counters.get("companies.search");
    expect(counter.get("companies.search")).toBe(searches);
    expect(searches).toBe(pages);
    // Pages of 200. The extra calls: each page re-reads its last instant (one record on spread-out
    // data, dozens in the tight loop), and the 450-record instant costs one page that only finds
    // the tie plus three pages by id.
    expect(searches).toBeGreaterThanOrEqual(Math.ceil(total / 200));
    expect(searches).toBeLessThanOrEqual(Math.ceil(total / 200) + 15);
  });

  it("bounds the range with since and until", async () => {
    const records = emu.store.objects.companies.records.filter((r) => r.live);
    const stamps = records.map((r) => r.updatedAt).sort((a, b) => a - b);
    const since = stamps[2_000] ?? 0;
    const until = stamps[6_000] ?? 0;
    const wanted = records.filter((r) => r.updatedAt >= since && r.updatedAt <= until).map((r) => String(r.id));
    const ids: string[] = [];
    for await (const page of client.searchModifiedSince("companies", { since, until, properties: [] })) ids.push(...page.results.map((r) => r.id));
    expect(ids.sort()).toEqual(wanted.sort());
  });

  it("resumes from a checkpointed cursor", async () => {
    const ids: string[] = [];
    let checkpoint: ModifiedCursor | null = null;
    for await (const page of client.searchModifiedSince("companies", { since: 0, properties: [] })) {
      ids.push(...page.results.map((r) => r.id));
      checkpoint = page.cursor;
      if (ids.length > 5_000) break;
    }
    expect(checkpoint).not.toBeNull();
    for await (const page of client.searchModifiedSince("companies", { since: 0, properties: [], resume: checkpoint ?? undefined })) {
      ids.push(...page.results.map((r) => r.id));
    }
    expect(ids.length).toBe(total);
    expect(new Set(ids).size).toBe(total);
  });

  it("reads contacts by lastmodifieddate", async () => {
    const contact = emu.store.addRecord("contacts", { email: "window@example.com", firstname: "Win" });
    const ids: string[] = [];
    for await (const page of client.searchModifiedSince("contacts", { since: contact.updatedAt, properties: ["email"] })) ids.push(...page.results.map((r) => r.id));
    expect(ids).toEqual([String(contact.id)]);
  });
});
