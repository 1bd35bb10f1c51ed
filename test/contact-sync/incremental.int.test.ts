// Incremental inbound contact sync from a list (issue 16): a run after a full pass reads only the
// members who joined since (HubSpot's join-order memberships) and the contacts changed since, so
// with 1% changed it costs a few calls, not the whole membership. On both databases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dialect } from "../../src/db/database.ts";
import { dialects } from "../support/databases.ts";
import { ContactHarness } from "./harness.ts";

// 33 membership pages, the last one part full (a full last page would make the next pass read two).
const members = 8100;

describe.each(dialects)("contact sync: incremental inbound from a list on %s", (dialect: Dialect) => {
  let c: ContactHarness;
  let ids: string[];
  let listId: string;
  let fullCalls: number;

  beforeAll(async () => {
    c = await ContactHarness.start(dialect, { emulator: { contacts: members, seed: 16 } });
    ids = c.h.emu.store.objects.contacts.records.map((r) => String(r.id));
    listId = await c.createList("everyone", ids);
    await c.configure({ mode: "inbound", source: { kind: "list", listId }, lifecycleStages: [] });
    const full = await c.h.latestRun(c.ws, "contacts");
    expect(full.message).toContain("(full)");
    fullCalls = full.crmCalls.total;
    // ⌈8,100/250⌉ membership pages and ⌈8,100/100⌉ batch reads, after the two checks.
    expect(full.crmCalls.byEndpoint).toMatchObject({ "lists.memberships.joinOrder": 33, "contacts.batch.read": 81 });
  }, 120_000);
  afterAll(async () => {
    await c?.close();
  });

  it("with 1% changed and two new members costs 5 calls, under 5% of the full run's", async () => {
    const changed = ids.filter((_, i) => i % 100 === 7);
    const changedWithHandle = changed.filter((id) => { const p = c.h.emu.store.objects.contacts.get(Number(id))!.props; return Boolean(p.email || p.phone); });
    for (const [i, id] of changed.entries()) await c.patchRemote(id, { firstname: `Changed${i}` });
    const joiners = [await c.addContact({ firstname: "New", lastname: "Joiner", email: "new.joiner@example.com" }), await c.addContact({ firstname: "Late", lastname: "Comer", phone: "+1 212 555 0190" })];
    await c.addMembers(listId, joiners);

    const run = await c.runNow();
    expect(run.message).toContain("(incremental)");
    // Two checks, the last page read before (the new members follow it), one search page of the
    // 81 changed contacts, one batch read of the two new members.
    expect(run.crmCalls.byEndpoint).toEqual({ "properties.contacts.list": 1, "lists.get": 1, "lists.memberships.joinOrder": 1, "contacts.search": 1, "contacts.batch.read": 1 });
    expect(run.crmCalls.total / fullCalls).toBeLessThanOrEqual(0.05);
    expect(run.counters.read).toBe(changed.length + joiners.length);
    expect(await c.contactByExternalId(changedWithHandle[3]!)).toMatchObject({ firstName: `Changed${changed.indexOf(changedWithHandle[3]!)}` });
    expect(await c.contactByExternalId(joiners[0]!)).toMatchObject({ name: "New Joiner", emails: ["new.joiner@example.com"] });
    expect(await c.contactByExternalId(joiners[1]!)).toMatchObject({ phones: ["+12125550190"] });
  });

  it("resumes before a member who left, and re-reads the whole membership only when it cannot tell where it stopped", async () => {
    const all = () => c.h.emu.store.lists.get(Number(listId))!;
    const joinOrder = () => [...all().members].sort((a, b) => all().joinedAt.get(a)! - all().joinedAt.get(b)! || a - b).map(String);
    // The newest member leaves and another joins: the page read last still starts before it.
    const last = joinOrder().at(-1)!;
    await c.h.control("PUT", `/lists/${listId}/members`, { remove: [last] });
    const second = await c.addContact({ firstname: "Second", lastname: "Joiner", email: "second.joiner@example.com" });
    await c.addMembers(listId, [second]);
    let run = await c.runNow();
    expect(run.crmCalls.byEndpoint["lists.memberships.joinOrder"]).toBe(1);
    expect(await c.contactByExternalId(second)).toMatchObject({ name: "Second Joiner" });

    // Every member of that page leaves and one joins: the cursor now lands past the member it
    // was kept for, so the pass cannot know that nobody was skipped and starts over.
    const page = joinOrder().slice(members - (members % 250));
    await c.h.control("PUT", `/lists/${listId}/members`, { remove: page });
    const third = await c.addContact({ firstname: "Third", lastname: "Joiner", email: "third.joiner@example.com" });
    await c.addMembers(listId, [third]);
    const remaining = all().members.length;
    run = await c.runNow();
    expect(run.message).toContain("(incremental)");
    expect(run.crmCalls.byEndpoint["lists.memberships.joinOrder"]).toBe(1 + Math.ceil(remaining / 250));
    // Only the new member is read: the others were read before.
    expect(run.crmCalls.byEndpoint["contacts.batch.read"]).toBe(1);
    expect(await c.contactByExternalId(third)).toMatchObject({ name: "Third Joiner" });

    // From there the position is known again: a quiet run reads one membership page (and
    // searches for changes, finding only contacts it has read).
    const quiet = await c.runNow();
    expect(quiet.crmCalls.byEndpoint).toEqual({ "properties.contacts.list": 1, "lists.get": 1, "lists.memberships.joinOrder": 1, "contacts.search": 1 });
    expect(quiet.counters.read).toBe(0);
  });
});
