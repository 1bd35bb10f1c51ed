// What the benchmark asks of the emulator's store: domains for customers, a list of contacts for
// contact sync, and changes as a HubSpot user would make them. Used in the emulator's process, or
// in-process.
import type { EmulatorStore } from "../../emulator/index.ts";
import { tryNormalizeDomain } from "../../src/core/domains.ts";
import type { PortalCatalog } from "./emulator-protocol.ts";

/** Domains customers can take: held by exactly one company (links) or by several (ambiguous). */
export function catalog(store: EmulatorStore): PortalCatalog {
  const owners = new Map<string, number[]>();
  const primary: Array<{ id: number; domain: string }> = [];
  for (const record of store.collection("companies").records) {
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
  for (const record of store.collection("companies").records) {
    if (withDeals.length >= 2_000) break;
    if (record.live && store.associations.list("companies", record.id, "deals").length > 0) withDeals.push(String(record.id));
  }
  return { unique, ambiguous, companiesWithDeals: withDeals };
}

/**
 * Changes `share` of the companies and deals as a HubSpot user would. Each change moves the
 * emulator's clock on by a millisecond, so changes carry distinct modification times, as edits
 * spread over a day do (a bulk import at one instant is read by id instead, a few calls more).
 */
export function mutate(store: EmulatorStore, share: number): { companies: number; deals: number } {
  const every = everyNth(share);
  const changed = { companies: 0, deals: 0 };
  const edits = { companies: "numberofemployees", deals: "amount" } as const;
  for (const type of ["companies", "deals"] as const) {
    const live = store.collection(type).records.filter((r) => r.live);
    for (let i = Math.floor(every / 2); i < live.length; i += every) {
      const record = live[i]!;
      const current = Number(record.props[edits[type]] ?? "0");
      store.clock.advance(1);
      store.setProperties(type, record.id, { [edits[type]]: String((Number.isFinite(current) ? current : 0) + 1) });
      changed[type]++;
    }
  }
  return changed;
}


function everyNth(share: number): number {
  return Math.max(1, Math.round(1 / share));
}

/** A HubSpot list holding every live contact: contact sync's source in the benchmark. */
export function contactList(store: EmulatorStore): { listId: string; members: number } {
  const ids = store.collection("contacts").records.filter((r) => r.live).map((r) => r.id);
  const list = store.createList("bench: all contacts", "contacts");
  // In parts, as PUT /_emulator/lists/{id}/members would add them: the store spreads the ids it
  // adds into one push(), which overflows the stack at a few hundred thousand.
  for (let i = 0; i < ids.length; i += 10_000) store.lists.addMembers(list, ids.slice(i, i + 10_000), store.now());
  return { listId: String(list.listId), members: list.members.length };
}

/**
 * Changes the first name of `share` of the live contacts as a HubSpot user would, one change a
 * millisecond apart as in mutate(). `offset` (0 to 1) says where in each stretch of 1/share
 * contacts the changed one sits, so that two rounds change different contacts. Returns the
 * emulator's time of the last change.
 */
export function mutateContacts(store: EmulatorStore, share: number, offset: number): { contacts: number; lastChangeMs: number } {
  const every = everyNth(share);
  const live = store.collection("contacts").records.filter((r) => r.live);
  let contacts = 0;
  for (let i = Math.min(every - 1, Math.floor(every * offset)); i < live.length; i += every) {
    const record = live[i]!;
    store.clock.advance(1);
    store.setProperties("contacts", record.id, { firstname: `${record.props["firstname"] ?? "Contact"} (edited ${contacts})` });
    contacts++;
  }
  return { contacts, lastChangeMs: store.now() };
}

/** HubSpot's limits on or off (the private app's tier: 100 calls per 10 s, search 5 per s), with fresh windows. */
export function setRateLimits(store: EmulatorStore, enabled: boolean): null {
  store.rateLimiter.config.enabled = enabled;
  store.rateLimiter.resetWindows();
  return null;
}
