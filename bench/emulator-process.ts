// The emulator in its own process: the benchmark measures crmsync's memory, not the emulator's
// (which holds the whole generated portal), and on two cores the two sides run side by side.
// Started by bench/lib/emulator-handle.ts with fork(); answers requests over the IPC channel.
import { performance } from "node:perf_hooks";
import { startEmulator, PRIVATE_APP_TOKEN, type RunningEmulator } from "../emulator/index.ts";
import { tryNormalizeDomain } from "../src/core/domains.ts";
import type { EmulatorRequest, EmulatorResponse, PortalCatalog } from "./lib/emulator-protocol.ts";

const config = JSON.parse(process.argv[2] ?? "{}") as { seed: number; companies: number; deals: number; contacts: number };

function send(message: EmulatorResponse): void {
  process.send?.(message);
}

/** Domains customers can take: held by exactly one company (links) or by several (ambiguous). */
function catalog(emu: RunningEmulator): PortalCatalog {
  const owners = new Map<string, number[]>();
  const primary: Array<{ id: number; domain: string }> = [];
  for (const record of emu.store.collection("companies").records) {
    if (!record.live) continue;
    const raw = [record.props["domain"] ?? "", ...(record.props["hs_additional_domains"] ?? "").split(";")];
    const domains = new Set<string>();
    for (const value of raw) {
      const domain = value.trim() === "" ? null : tryNormalizeDomain(value);
      if (domain) domains.add(domain);
    }
    for (const domain of domains) {
      const list = owners.get(domain);
      if (list) list.push(record.id);
      else owners.set(domain, [record.id]);
    }
    const first = tryNormalizeDomain(record.props["domain"] ?? "");
    if (first) primary.push({ id: record.id, domain: first });
  }
  const unique = primary.filter((c) => owners.get(c.domain)?.length === 1).map((c) => c.domain);
  const ambiguous = [...owners.entries()].filter(([, ids]) => ids.length > 1).map(([domain]) => domain);
  // Companies with at least one deal: Save & Sync then reads a deal too, the usual case.
  const withDeals: string[] = [];
  for (const record of emu.store.collection("companies").records) {
    if (withDeals.length >= 2_000) break;
    if (record.live && emu.store.associations.list("companies", record.id, "deals").length > 0) withDeals.push(String(record.id));
  }
  return { unique, ambiguous, companiesWithDeals: withDeals };
}

/**
 * Changes `share` of the companies and deals as a HubSpot user would. Each change moves the
 * emulator's clock on by a millisecond, so changes carry distinct modification times, as edits
 * spread over a day do (a bulk import at one instant is read by id instead, a few calls more).
 */
function mutate(emu: RunningEmulator, share: number): { companies: number; deals: number } {
  const every = Math.max(1, Math.round(1 / share));
  const changed = { companies: 0, deals: 0 };
  const edits = { companies: "numberofemployees", deals: "amount" } as const;
  for (const type of ["companies", "deals"] as const) {
    const live = emu.store.collection(type).records.filter((r) => r.live);
    for (let i = Math.floor(every / 2); i < live.length; i += every) {
      const record = live[i]!;
      const current = Number(record.props[edits[type]] ?? "0");
      emu.store.clock.advance(1);
      emu.store.setProperties(type, record.id, { [edits[type]]: String((Number.isFinite(current) ? current : 0) + 1) });
      changed[type]++;
    }
  }
  return changed;
}

const started = performance.now();
const emu = await startEmulator({ port: 0, seed: config.seed, companies: config.companies, deals: config.deals, contacts: config.contacts, rateLimits: false });
const startMs = performance.now() - started;

process.on("message", (raw) => {
  const request = raw as EmulatorRequest;
  const reply = (result: unknown): void => send({ id: request.id, ok: true, result });
  try {
    switch (request.op) {
      case "catalog":
        return reply(catalog(emu));
      case "counters":
        return reply(emu.store.counters.snapshot());
      case "resetCounters":
        emu.store.counters.reset();
        return reply(null);
      case "mutate":
        return reply(mutate(emu, request.share));
      case "memory":
        return reply({ rssBytes: process.memoryUsage().rss, maxRssBytes: process.resourceUsage().maxRSS * 1024 });
      case "close":
        void emu.close().then(() => {
          reply(null);
          process.disconnect();
        });
        return;
    }
  } catch (error) {
    send({ id: request.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});

send({ id: 0, ok: true, result: { url: emu.url, token: PRIVATE_APP_TOKEN, startMs, stats: emu.store.stats() } });
