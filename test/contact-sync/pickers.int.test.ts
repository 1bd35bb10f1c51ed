// What the contact-sync settings offer to choose from (product spec §4.1, §4.2, §7): the portal's
// contact lists by name and its contact properties, read from the emulator over HTTP, on both
// databases, counted like every other HubSpot call.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dialect } from "../../src/db/database.ts";
import { dialects } from "../support/databases.ts";
import { endpointCounts } from "../support/hubspot.ts";
import { ContactHarness } from "./harness.ts";

interface ListItem {
  id: string;
  name: string;
  size: number | null;
  processingType: string;
}

interface PropertyItem {
  name: string;
  label: string;
  type: string;
  fieldType: string;
}

const listsUrl = (query?: string) => `/api/v1/crm/hubspot/contact-lists${query === undefined ? "" : `?query=${encodeURIComponent(query)}`}`;
const propertiesUrl = "/api/v1/crm/hubspot/contact-properties";

describe.each(dialects)("contact sync: the list and property pickers on %s", (dialect: Dialect) => {
  let c: ContactHarness;
  beforeAll(async () => {
    c = await ContactHarness.start(dialect);
  });
  afterAll(async () => {
    await c?.close();
  });

  const lists = async (query?: string, token?: string) => (await c.h.ok<{ items: ListItem[] }>("GET", listsUrl(query), undefined, token)).items;

  it("finds the portal's contact lists by name, with their size, and leaves other object types out", async () => {
    const ann = await c.addContact({ firstname: "Ann", email: "ann@pickers.test" });
    const bob = await c.addContact({ firstname: "Bob", email: "bob@pickers.test" });
    const vip = await c.createList("Pickers VIP customers", [ann, bob]);
    const newsletter = (c.h.emu.store.createList("Pickers newsletter", "contacts", [ann], "SNAPSHOT").listId).toString();
    c.h.emu.store.createList("Pickers key accounts", "companies");
    c.h.resetCounters();

    expect(await lists("pickers")).toEqual([
      { id: newsletter, name: "Pickers newsletter", size: 1, processingType: "SNAPSHOT" },
      { id: vip, name: "Pickers VIP customers", size: 2, processingType: "MANUAL" },
    ]);
    // One search call, through the same counted transport as a run's calls.
    expect(endpointCounts(c.h.counters())).toEqual({ "lists.search": 1 });
    // Part of a name, any case; members may look too (the settings are readable by everyone).
    expect((await lists("vip CUST", c.ws.memberToken)).map((l) => l.id)).toEqual([vip]);
    // No query: every contact list.
    expect((await lists()).map((l) => l.name)).toEqual(expect.arrayContaining(["Pickers VIP customers", "Pickers newsletter"]));
    expect((await lists()).map((l) => l.name)).not.toContain("Pickers key accounts");
  });

  it("answers an empty list for a query that matches nothing, and drops a deleted list", async () => {
    expect(await lists("no list is called this")).toEqual([]);
    const gone = await c.createList("Pickers soon deleted", []);
    expect((await lists("soon deleted")).map((l) => l.id)).toEqual([gone]);
    await c.h.control("DELETE", `/lists/${gone}`);
    expect(await lists("soon deleted")).toEqual([]);
  });

  it("pages through the search past other object types' lists, and stops at 500 contact lists", async () => {
    for (let i = 0; i < 300; i++) {
      c.h.emu.store.createList(`Bulk company ${String(i).padStart(3, "0")}`, "companies");
      c.h.emu.store.createList(`Bulk contact ${String(i).padStart(3, "0")}`, "contacts");
    }
    c.h.resetCounters();
    const some = await lists("bulk");
    expect(some).toHaveLength(300);
    expect(some.every((l) => l.name.startsWith("Bulk contact "))).toBe(true);
    expect(some.map((l) => l.name)).toEqual([...some.map((l) => l.name)].sort());
    expect(endpointCounts(c.h.counters())).toEqual({ "lists.search": 2 });

    for (let i = 300; i < 600; i++) c.h.emu.store.createList(`Bulk contact ${String(i).padStart(3, "0")}`, "contacts");
    expect(await lists("bulk contact")).toHaveLength(500);
  });

  it("lists the portal's contact properties by label, without hidden ones", async () => {
    const created = await c.hubspot("POST", "/crm/v3/properties/contacts", { name: "pickers_nickname", label: "Pickers nickname", type: "string", fieldType: "text", groupName: "contactinformation" });
    expect(created.status).toBeLessThan(300);
    const hidden = await c.hubspot("POST", "/crm/v3/properties/contacts", { name: "pickers_hidden", label: "Pickers hidden", type: "string", fieldType: "text", groupName: "contactinformation", hidden: true });
    expect(hidden.status).toBeLessThan(300);
    c.h.resetCounters();

    const { items } = await c.h.ok<{ items: PropertyItem[] }>("GET", propertiesUrl, undefined, c.ws.memberToken);
    expect(endpointCounts(c.h.counters())).toEqual({ "properties.contacts.list": 1 });
    const byName = new Map(items.map((p) => [p.name, p]));
    expect(byName.get("email")).toEqual({ name: "email", label: "Email", type: "string", fieldType: "text" });
    expect(byName.get("phone")).toEqual({ name: "phone", label: "Phone Number", type: "string", fieldType: "phonenumber" });
    expect(byName.get("pickers_nickname")).toMatchObject({ label: "Pickers nickname", type: "string", fieldType: "text" });
    expect(byName.get("firstname")).toBeDefined();
    expect(byName.get("lastname")).toBeDefined();
    expect(byName.has("pickers_hidden")).toBe(false);
    const labels = items.map((p) => p.label);
    expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b)));
  });

  it("says HubSpot is not connected (crm_not_connected), and needs a session", async () => {
    const other = c.h.t.b;
    for (const url of [listsUrl("x"), propertiesUrl]) {
      const refused = await c.h.api<{ error: { code: string; message: string } }>("GET", url, undefined, other.adminToken);
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe("crm_not_connected");
      expect((await c.h.t.request(null, "GET", url)).statusCode).toBe(401);
    }
    expect((await c.h.api("GET", `/api/v1/crm/hubspot/contact-lists?query=${"x".repeat(201)}`)).status).toBe(400);
  });

  it("turns HubSpot failures into the API's errors", async () => {
    c.h.emu.store.faults.add({ endpoint: "lists.search", kind: "status", status: 503, count: 20 });
    c.h.emu.store.faults.add({ endpoint: "properties.contacts.list", kind: "status", status: 503, count: 20 });
    try {
      for (const url of [listsUrl("x"), propertiesUrl]) {
        const failed = await c.h.api<{ error: { code: string } }>("GET", url);
        expect(failed.status).toBe(502);
        expect(failed.body.error.code).toBe("crm_error");
      }
    } finally {
      c.h.emu.store.faults.clear();
    }
    expect((await lists("pickers")).length).toBeGreaterThan(0);
  });

  it("describes both routes in the OpenAPI document", async () => {
    const doc = (await c.h.t.request(null, "GET", "/docs/json")).json() as { paths: Record<string, { get?: { parameters?: { name: string }[] } }> };
    expect(doc.paths["/api/v1/crm/{provider}/contact-lists"]?.get?.parameters?.map((p) => p.name)).toEqual(["query", "provider"]);
    expect(doc.paths["/api/v1/crm/{provider}/contact-properties"]?.get).toBeDefined();
  });
});
