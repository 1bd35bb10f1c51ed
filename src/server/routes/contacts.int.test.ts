import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../test/support/app.ts";
import { dialects } from "../../../test/support/databases.ts";
import type { Dialect } from "../../db/database.ts";
import { newCustomerRow } from "../../db/repositories/customers.ts";

interface ContactJson {
  id: string;
  name: string;
  firstName: string | null;
  lastName: string | null;
  emails: string[];
  phones: string[];
  customerId: string | null;
  tags: string[];
  externalId: string | null;
  lastSyncedAt: string | null;
  fieldChangedAt: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

async function insertCustomer(t: TestApp, workspaceId: string, name: string): Promise<string> {
  const row = newCustomerRow(workspaceId, name);
  await t.ctx.db.insertInto("customers").values(row).execute();
  return row.id;
}

/** Every contact table, in a fixed order, to prove a failed write left nothing behind. */
async function dumpContacts(t: TestApp): Promise<unknown> {
  const db = t.ctx.db;
  return {
    contacts: await db.selectFrom("contacts").selectAll().orderBy("id").execute(),
    emails: await db.selectFrom("contact_emails").selectAll().orderBy("email").execute(),
    phones: await db.selectFrom("contact_phones").selectAll().orderBy("phone").execute(),
    tags: await db.selectFrom("contact_tags").selectAll().orderBy("contact_id").orderBy("tag").execute(),
    merges: await db.selectFrom("contact_merges").selectAll().orderBy("merged_contact_id").execute(),
  };
}

async function clearContacts(t: TestApp): Promise<void> {
  await t.ctx.db.deleteFrom("contact_merges").execute();
  await t.ctx.db.deleteFrom("contacts").execute();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(dialects)("contacts API on %s", (dialect) => {
  let t: TestApp;
  let customerA: string;
  let customerB: string;

  const create = async (token: string, body: Record<string, unknown>): Promise<ContactJson> => {
    const res = await t.request(token, "POST", "/api/v1/contacts", body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<ContactJson>();
  };

  beforeAll(async () => {
    t = await startTestApp(dialect);
    customerA = await insertCustomer(t, t.a.id, "Acme");
    customerB = await insertCustomer(t, t.b.id, "Beta Corp");
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await clearContacts(t);
  });

  describe("create and read", () => {
    it("normalises handles and derives the name from first and last names", async () => {
      const contact = await create(t.a.memberToken, {
        firstName: " Ann ",
        lastName: "Lee",
        emails: [" Ann@Example.COM ", "ann@example.com", "ann.lee@work.example"],
        phones: ["+1 (415) 555-0100"],
        tags: [" vip ", "customer", "vip", "  "],
        customerId: customerA,
      });
      expect(contact).toMatchObject({
        name: "Ann Lee",
        firstName: "Ann",
        lastName: "Lee",
        emails: ["ann@example.com", "ann.lee@work.example"],
        phones: ["+14155550100"],
        tags: ["customer", "vip"],
        customerId: customerA,
        externalId: null,
        lastSyncedAt: null,
      });
      expect(Object.keys(contact.fieldChangedAt).sort()).toEqual(["customerId", "emails", "firstName", "lastName", "name", "phones", "tags"]);
      for (const time of Object.values(contact.fieldChangedAt)) expect(time).toBe(contact.createdAt);

      const read = await t.request(t.a.adminToken, "GET", `/api/v1/contacts/${contact.id}`);
      expect(read.statusCode).toBe(200);
      expect(read.json()).toEqual(contact);
    });

    it("keeps a given name over first and last names", async () => {
      const contact = await create(t.a.adminToken, { name: "Dr. Ann Lee", firstName: "Ann", lastName: "Lee" });
      expect(contact.name).toBe("Dr. Ann Lee");
    });

    it("records change times only for fields that have a value", async () => {
      const contact = await create(t.a.adminToken, { emails: ["solo@example.com"] });
      expect(contact.name).toBe("");
      expect(Object.keys(contact.fieldChangedAt)).toEqual(["emails"]);
    });
  });

  describe("bad input leaves the database unchanged", () => {
    let existing: ContactJson;
    beforeEach(async () => {
      existing = await create(t.a.adminToken, { name: "Existing", emails: ["taken@example.com"], phones: ["+14155550199"] });
    });

    const bigBody = JSON.stringify({ name: "x".repeat(1024 * 1024 + 10) });
    const cases: Array<{ label: string; body: unknown; status: number; code: string; details?: Record<string, unknown> }> = [
      { label: "invalid email", body: { name: "X", emails: ["not-an-email"] }, status: 422, code: "email_invalid", details: { value: "not-an-email" } },
      { label: "invalid phone", body: { name: "X", phones: ["12"] }, status: 422, code: "phone_invalid", details: { value: "12" } },
      { label: "phone without country", body: { name: "X", phones: ["(415) 555-0100"] }, status: 422, code: "phone_invalid" },
      { label: "taken email, other spelling", body: { name: "X", emails: ["new@example.com", " TAKEN@example.com"] }, status: 409, code: "email_taken", details: { value: "taken@example.com" } },
      { label: "taken phone, other spelling", body: { name: "X", phones: ["+1 415-555-0199"] }, status: 409, code: "phone_taken", details: { value: "+14155550199" } },
      { label: "name of the wrong type", body: { name: 42 }, status: 400, code: "validation_failed" },
      { label: "emails not an array", body: { name: "X", emails: "a@b.com" }, status: 400, code: "validation_failed" },
      { label: "tags with a number", body: { name: "X", tags: ["ok", 3] }, status: 400, code: "validation_failed" },
      { label: "body not an object", body: "[1,2]", status: 400, code: "validation_failed" },
      { label: "externalId is read-only", body: { name: "X", externalId: "123" }, status: 400, code: "validation_failed" },
      { label: "unknown key", body: { name: "X", emial: "a@b.com" }, status: 400, code: "validation_failed" },
      { label: "no name and no handle", body: { tags: ["vip"] }, status: 400, code: "validation_failed" },
      { label: "blank name and no handle", body: { name: "   " }, status: 400, code: "validation_failed" },
      { label: "unknown customer", body: { name: "X", customerId: randomUUID() }, status: 404, code: "not_found" },
      { label: "malformed JSON", body: '{"name": "X",', status: 400, code: "malformed_json" },
      { label: "oversized body", body: bigBody, status: 413, code: "payload_too_large" },
    ];

    it.each(cases)("POST with $label → $status $code", async ({ body, status, code, details }) => {
      const before = await dumpContacts(t);
      const res = await t.request(t.a.adminToken, "POST", "/api/v1/contacts", body);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error.code).toBe(code);
      if (details) expect(res.json().error.details).toMatchObject(details);
      expect(await dumpContacts(t)).toEqual(before);
    });

    it("names the contact that holds a taken handle", async () => {
      const res = await t.request(t.a.adminToken, "POST", "/api/v1/contacts", { name: "X", emails: ["taken@example.com"] });
      expect(res.json().error.details).toEqual({ value: "taken@example.com", contactId: existing.id });
      expect(res.json().error.message).toContain("taken@example.com");
    });

    it("a customer of another workspace is unknown", async () => {
      const before = await dumpContacts(t);
      const res = await t.request(t.a.adminToken, "POST", "/api/v1/contacts", { name: "X", customerId: customerB });
      expect(res.statusCode).toBe(404);
      expect(JSON.stringify(res.json())).not.toContain("Beta Corp");
      expect(await dumpContacts(t)).toEqual(before);
    });

    it.each(cases.filter((c) => c.code !== "payload_too_large" && c.label !== "no name and no handle" && c.label !== "blank name and no handle"))(
      "PATCH with $label → $status $code",
      async ({ body, status, code }) => {
        const other = await create(t.a.adminToken, { name: "Other", emails: ["other@example.com"] });
        const before = await dumpContacts(t);
        const res = await t.request(t.a.adminToken, "PATCH", `/api/v1/contacts/${other.id}`, body);
        expect(res.statusCode, res.body).toBe(status);
        expect(res.json().error.code).toBe(code);
        expect(await dumpContacts(t)).toEqual(before);
      },
    );

    it("PATCH that would leave no name and no handle is refused", async () => {
      const before = await dumpContacts(t);
      const res = await t.request(t.a.adminToken, "PATCH", `/api/v1/contacts/${existing.id}`, { name: "", emails: [], phones: [] });
      expect(res.statusCode).toBe(400);
      expect(await dumpContacts(t)).toEqual(before);
    });

    it("an invalid email among valid changes applies none of them", async () => {
      const before = await dumpContacts(t);
      const res = await t.request(t.a.adminToken, "PATCH", `/api/v1/contacts/${existing.id}`, { name: "Renamed", tags: ["x"], emails: ["fine@example.com", "bad@"] });
      expect(res.statusCode).toBe(422);
      expect(res.json().error.details).toEqual({ value: "bad@" });
      expect(await dumpContacts(t)).toEqual(before);
    });

    it("bad query parameters are 400, never 500", async () => {
      for (const query of ["limit=0", "limit=201", "limit=abc", "sort=email", "synced=yes", "cursor=%%%", "cursor=bm9wZQ"]) {
        const res = await t.request(t.a.adminToken, "GET", `/api/v1/contacts?${query}`);
        expect(res.statusCode, query).toBe(400);
        expect(["validation_failed", "invalid_cursor"]).toContain(res.json().error.code);
      }
    });
  });

  describe("updates and per-field change times", () => {
    it("moves the change time only for fields that changed", async () => {
      const contact = await create(t.a.memberToken, { firstName: "Ann", lastName: "Lee", emails: ["ann@example.com"], tags: ["vip"] });
      await sleep(5);
      const res = await t.request(t.a.memberToken, "PATCH", `/api/v1/contacts/${contact.id}`, {
        lastName: "Smith",
        emails: ["ANN@example.com"], // the same address in another spelling: not a change
        tags: ["vip", " vip"],
        phones: ["+44 20 7946 0958"],
      });
      expect(res.statusCode, res.body).toBe(200);
      const updated = res.json<ContactJson>();
      expect(updated).toMatchObject({ name: "Ann Smith", lastName: "Smith", phones: ["+442079460958"], emails: ["ann@example.com"] });
      expect(updated.updatedAt > contact.updatedAt).toBe(true);
      for (const field of ["name", "lastName", "phones"]) expect(updated.fieldChangedAt[field], field).toBe(updated.updatedAt);
      for (const field of ["firstName", "emails", "tags"]) expect(updated.fieldChangedAt[field], field).toBe(contact.fieldChangedAt[field]);
      expect(updated.fieldChangedAt["customerId"]).toBeUndefined();
      expect((await t.request(t.a.memberToken, "GET", `/api/v1/contacts/${contact.id}`)).json()).toEqual(updated);
    });

    it("a patch that changes nothing leaves updatedAt and the change times alone", async () => {
      const contact = await create(t.a.adminToken, { name: "Bo", emails: ["bo@example.com"] });
      await sleep(5);
      const res = await t.request(t.a.adminToken, "PATCH", `/api/v1/contacts/${contact.id}`, { name: " Bo ", emails: ["BO@example.com"] });
      expect(res.json()).toEqual(contact);
    });

    it("keeps a hand-typed name when first or last name change", async () => {
      const contact = await create(t.a.adminToken, { name: "Dr. Lee", firstName: "Ann", lastName: "Lee" });
      const res = await t.request(t.a.adminToken, "PATCH", `/api/v1/contacts/${contact.id}`, { firstName: "Anna" });
      expect(res.json()).toMatchObject({ name: "Dr. Lee", firstName: "Anna" });
    });

    it("sets and clears the customer, and moves an email between contacts only once it is free", async () => {
      const one = await create(t.a.adminToken, { name: "One", emails: ["shared@example.com"] });
      const two = await create(t.a.adminToken, { name: "Two" });
      const withCustomer = await t.request(t.a.adminToken, "PATCH", `/api/v1/contacts/${two.id}`, { customerId: customerA });
      expect(withCustomer.json().customerId).toBe(customerA);
      const taken = await t.request(t.a.adminToken, "PATCH", `/api/v1/contacts/${two.id}`, { emails: ["shared@example.com"] });
      expect(taken.statusCode).toBe(409);
      expect(taken.json().error).toMatchObject({ code: "email_taken", details: { value: "shared@example.com", contactId: one.id } });
      expect((await t.request(t.a.adminToken, "PATCH", `/api/v1/contacts/${one.id}`, { emails: [] })).statusCode).toBe(200);
      const moved = await t.request(t.a.adminToken, "PATCH", `/api/v1/contacts/${two.id}`, { emails: ["shared@example.com"], customerId: null });
      expect(moved.json()).toMatchObject({ emails: ["shared@example.com"], customerId: null });
    });

    it("deletes a contact and frees its handles", async () => {
      const contact = await create(t.a.adminToken, { name: "Gone", emails: ["gone@example.com"] });
      expect((await t.request(t.a.memberToken, "DELETE", `/api/v1/contacts/${contact.id}`)).statusCode).toBe(204);
      expect((await t.request(t.a.memberToken, "GET", `/api/v1/contacts/${contact.id}`)).statusCode).toBe(404);
      expect((await t.request(t.a.memberToken, "DELETE", `/api/v1/contacts/${contact.id}`)).statusCode).toBe(404);
      await create(t.a.adminToken, { name: "Again", emails: ["gone@example.com"] });
    });
  });

  describe("workspace isolation", () => {
    it("never shows or touches another workspace's contacts", async () => {
      const mine = await create(t.a.adminToken, { name: "Mine", emails: ["same@example.com"], tags: ["t"] });
      // Handles are unique per workspace, not globally.
      const theirs = await create(t.b.adminToken, { name: "Theirs", emails: ["same@example.com"], tags: ["t"], customerId: customerB });
      const before = await dumpContacts(t);

      const list = await t.request(t.a.adminToken, "GET", "/api/v1/contacts?limit=200");
      expect(list.json().items.map((c: ContactJson) => c.id)).toEqual([mine.id]);
      for (const query of ["q=theirs", "tag=t", `customerId=${customerB}`, "synced=false", "q=same"]) {
        const ids = (await t.request(t.a.adminToken, "GET", `/api/v1/contacts?${query}`)).json().items.map((c: ContactJson) => c.id);
        expect(ids, query).not.toContain(theirs.id);
      }

      const attempts = [
        await t.request(t.a.adminToken, "GET", `/api/v1/contacts/${theirs.id}`),
        await t.request(t.a.adminToken, "PATCH", `/api/v1/contacts/${theirs.id}`, { name: "Hijacked" }),
        await t.request(t.a.adminToken, "DELETE", `/api/v1/contacts/${theirs.id}`),
        await t.request(t.a.adminToken, "POST", `/api/v1/contacts/${theirs.id}/merge`, { duplicateId: mine.id }),
        await t.request(t.a.adminToken, "POST", `/api/v1/contacts/${mine.id}/merge`, { duplicateId: theirs.id }),
        await t.request(t.a.adminToken, "PATCH", `/api/v1/contacts/${mine.id}`, { customerId: customerB }),
      ];
      for (const res of attempts) {
        expect(res.statusCode, res.body).toBe(404);
        expect(res.body).not.toContain("Theirs");
      }
      expect(await dumpContacts(t)).toEqual(before);
    });

    it("describes every contact route in the OpenAPI document", async () => {
      const doc = (await t.app.inject({ method: "GET", url: "/docs/json" })).json<{ paths: Record<string, Record<string, unknown>> }>();
      expect(Object.keys(doc.paths["/api/v1/contacts"] ?? {}).sort()).toEqual(["get", "post"]);
      expect(Object.keys(doc.paths["/api/v1/contacts/{id}"] ?? {}).sort()).toEqual(["delete", "get", "patch"]);
      expect(Object.keys(doc.paths["/api/v1/contacts/{id}/merge"] ?? {})).toEqual(["post"]);
    });

    it("refuses requests without credentials", async () => {
      expect((await t.request(null, "GET", "/api/v1/contacts")).statusCode).toBe(401);
      expect((await t.request(null, "POST", "/api/v1/contacts", { name: "X" })).statusCode).toBe(401);
    });
  });

  describe("merge", () => {
    it("moves handles and tags, fills only empty fields, deletes the duplicate and records the merge", async () => {
      const survivor = await create(t.a.adminToken, { name: "Ann Lee", firstName: "Ann", emails: ["ann@example.com"], tags: ["vip"] });
      const duplicate = await create(t.a.adminToken, {
        name: "Annie",
        firstName: "Annie",
        lastName: "Lee",
        emails: ["ann@example.com".replace("ann", "annie"), "ann.lee@work.example"],
        phones: ["+14155550100"],
        tags: ["customer", "vip"],
        customerId: customerA,
      });
      await t.ctx.db.updateTable("contacts").set({ external_id: "hs-202" }).where("id", "=", duplicate.id).execute();
      await t.ctx.db.updateTable("contacts").set({ external_id: "hs-101" }).where("id", "=", survivor.id).execute();
      await sleep(5);

      const res = await t.request(t.a.adminToken, "POST", `/api/v1/contacts/${survivor.id}/merge`, { duplicateId: duplicate.id });
      expect(res.statusCode, res.body).toBe(200);
      const merged = res.json<ContactJson>();
      expect(merged).toMatchObject({
        id: survivor.id,
        name: "Ann Lee",
        firstName: "Ann",
        lastName: "Lee",
        emails: ["ann@example.com", "annie@example.com", "ann.lee@work.example"],
        phones: ["+14155550100"],
        tags: ["customer", "vip"],
        customerId: customerA,
        externalId: "hs-101",
      });
      // Filled fields changed at the merge; the survivor's own values kept their times, and so did
      // its emails: added secondary addresses leave the primary (what a CRM holds) as it was.
      for (const field of ["lastName", "phones", "tags", "customerId"]) expect(merged.fieldChangedAt[field], field).toBe(merged.updatedAt);
      for (const field of ["name", "firstName", "emails"]) expect(merged.fieldChangedAt[field], field).toBe(survivor.fieldChangedAt[field]);

      expect((await t.request(t.a.adminToken, "GET", `/api/v1/contacts/${duplicate.id}`)).statusCode).toBe(404);
      expect((await t.request(t.a.adminToken, "GET", `/api/v1/contacts/${survivor.id}`)).json()).toEqual(merged);
      const merges = await t.ctx.db.selectFrom("contact_merges").selectAll().execute();
      expect(merges).toEqual([
        { workspace_id: t.a.id, survivor_id: survivor.id, merged_contact_id: duplicate.id, merged_external_id: "hs-202", merged_at: merged.updatedAt },
      ]);
    });

    it("takes the duplicate's CRM link when the survivor has none", async () => {
      const survivor = await create(t.a.adminToken, { name: "S", emails: ["s@example.com"] });
      const duplicate = await create(t.a.adminToken, { name: "D", emails: ["d@example.com"] });
      await t.ctx.db.updateTable("contacts").set({ external_id: "hs-9", last_synced_at: "2026-01-01T00:00:00.000Z" }).where("id", "=", duplicate.id).execute();
      const res = await t.request(t.a.adminToken, "POST", `/api/v1/contacts/${survivor.id}/merge`, { duplicateId: duplicate.id });
      expect(res.json()).toMatchObject({ name: "S", externalId: "hs-9", lastSyncedAt: "2026-01-01T00:00:00.000Z", emails: ["s@example.com", "d@example.com"] });
      const merges = await t.ctx.db.selectFrom("contact_merges").select("merged_external_id").execute();
      expect(merges).toEqual([{ merged_external_id: null }]);
    });

    it("is for admins only", async () => {
      const one = await create(t.a.adminToken, { name: "One" });
      const two = await create(t.a.adminToken, { name: "Two" });
      const before = await dumpContacts(t);
      const res = await t.request(t.a.memberToken, "POST", `/api/v1/contacts/${one.id}/merge`, { duplicateId: two.id });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe("forbidden");
      expect(await dumpContacts(t)).toEqual(before);
    });

    it("refuses merging a contact into itself, unknown ids and bad bodies without changing anything", async () => {
      const one = await create(t.a.adminToken, { name: "One", emails: ["one@example.com"] });
      const before = await dumpContacts(t);
      const self = await t.request(t.a.adminToken, "POST", `/api/v1/contacts/${one.id}/merge`, { duplicateId: one.id });
      expect(self.statusCode).toBe(409);
      expect(self.json().error.code).toBe("conflict");
      expect((await t.request(t.a.adminToken, "POST", `/api/v1/contacts/${one.id}/merge`, { duplicateId: randomUUID() })).statusCode).toBe(404);
      expect((await t.request(t.a.adminToken, "POST", `/api/v1/contacts/${randomUUID()}/merge`, { duplicateId: one.id })).statusCode).toBe(404);
      expect((await t.request(t.a.adminToken, "POST", `/api/v1/contacts/${one.id}/merge`, {})).statusCode).toBe(400);
      expect((await t.request(t.a.adminToken, "POST", `/api/v1/contacts/${one.id}/merge`, { duplicateId: 7 })).statusCode).toBe(400);
      expect(await dumpContacts(t)).toEqual(before);
    });
  });

  describe("listing", () => {
    async function walk(token: string, query: string, limit: number): Promise<{ ids: string[]; pages: number }> {
      const ids: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const url: string = `/api/v1/contacts?limit=${limit}&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
        const res = await t.request(token, "GET", url);
        expect(res.statusCode, res.body).toBe(200);
        const page = res.json<{ items: ContactJson[]; nextCursor: string | null }>();
        expect(page.items.length).toBeLessThanOrEqual(limit);
        ids.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== null && pages < 100);
      return { ids, pages };
    }

    it("walks every page in every sort order with no duplicates or misses", async () => {
      // Repeated names put ties inside pages and across page boundaries.
      const names = ["bob", "Alice", "alice", "Carol", "bob", "Dave", "eve", "Bob", "alice", "Zed", "émile", "Ölaf", "bob"];
      const created: ContactJson[] = [];
      for (const [i, name] of names.entries()) created.push(await create(t.a.adminToken, { name, emails: [`p${i}@example.com`] }));
      await create(t.b.adminToken, { name: "alice from b" });
      const all = created.map((c) => c.id).sort();

      for (const sort of ["name", "-name", "createdAt", "-createdAt", "updatedAt", "-updatedAt"]) {
        const { ids, pages } = await walk(t.a.memberToken, `sort=${sort}`, 3);
        expect(pages, sort).toBe(5);
        expect(new Set(ids).size, sort).toBe(ids.length);
        expect([...ids].sort(), sort).toEqual(all);
        const one = await walk(t.a.memberToken, `sort=${sort}`, 200);
        expect(ids, sort).toEqual(one.ids);
      }

      const byName = (await walk(t.a.memberToken, "sort=name", 200)).ids.map((id) => created.find((c) => c.id === id)?.name.toLowerCase());
      expect(byName).toEqual(["alice", "alice", "alice", "bob", "bob", "bob", "bob", "carol", "dave", "eve", "zed", "émile", "ölaf"]);
      const reversed = (await walk(t.a.memberToken, "sort=-name", 4)).ids;
      expect(reversed).toEqual([...(await walk(t.a.memberToken, "sort=name", 4)).ids].reverse());
    });

    it("uses 50 items by default", async () => {
      for (let i = 0; i < 51; i += 1) await create(t.a.adminToken, { name: `n${String(i).padStart(2, "0")}` });
      const page = (await t.request(t.a.adminToken, "GET", "/api/v1/contacts")).json();
      expect(page.items).toHaveLength(50);
      expect(page.nextCursor).not.toBeNull();
    });

    it("filters by q, tag, customer, external id and synced state", async () => {
      const ann = await create(t.a.adminToken, { name: "Ann Lee", emails: ["ann@example.com"], tags: ["vip", "customer"], customerId: customerA });
      const bob = await create(t.a.adminToken, { name: "Bob 100%_done", emails: ["bob@LEEDS.example"], tags: ["customer"] });
      const elo = await create(t.a.adminToken, { name: "ÉLODIE Ürban", phones: ["+33612345678"], tags: ["VIP"] });
      await t.ctx.db.updateTable("contacts").set({ external_id: "hs-1" }).where("id", "=", bob.id).execute();

      const ids = async (query: string) =>
        ((await t.request(t.a.adminToken, "GET", `/api/v1/contacts?sort=createdAt&${query}`)).json().items as ContactJson[]).map((c) => c.id);
      expect(await ids("q=lee")).toEqual([ann.id, bob.id]); // name for Ann, email domain for Bob
      expect(await ids("q=ANN%40EX")).toEqual([ann.id]);
      expect(await ids("q=%C3%A9lo")).toEqual([elo.id]); // "élo" matches "ÉLODIE" on both dialects
      expect(await ids("q=%C3%BCRBAN")).toEqual([elo.id]);
      expect(await ids("q=100%25_")).toEqual([bob.id]); // % and _ are literal
      expect(await ids("q=_")).toEqual([bob.id]);
      expect(await ids("q=%25")).toEqual([bob.id]);
      expect(await ids("q=%20%20")).toEqual([ann.id, bob.id, elo.id]); // blank q filters nothing
      expect(await ids("tag=vip")).toEqual([ann.id]); // tags are case-sensitive
      expect(await ids("tag=VIP")).toEqual([elo.id]);
      expect(await ids("tag=customer")).toEqual([ann.id, bob.id]);
      expect(await ids(`customerId=${customerA}`)).toEqual([ann.id]);
      expect(await ids("externalId=hs-1")).toEqual([bob.id]);
      expect(await ids("synced=true")).toEqual([bob.id]);
      expect(await ids("synced=false")).toEqual([ann.id, elo.id]);
      expect(await ids("synced=false&tag=customer&q=ann")).toEqual([ann.id]);
      expect(await ids("q=nobody")).toEqual([]);
    });
  });
  describe("the contact limit", () => {
    it("refuses a contact past the workspace's limit with contact_limit_reached, storing nothing; other workspaces are not limited", async () => {
      await create(t.a.memberToken, { name: "First" });
      const limited = await t.request(t.a.adminToken, "PATCH", "/api/v1/workspace-settings", { contactLimit: 2 });
      expect(limited.statusCode, limited.body).toBe(200);
      await create(t.a.memberToken, { name: "Second" });
      const before = await dumpContacts(t);
      const refused = await t.request(t.a.memberToken, "POST", "/api/v1/contacts", { name: "Third", emails: ["third@example.com"] });
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({
        error: { code: "contact_limit_reached", message: "The workspace holds 2 contacts and may hold 2; delete contacts or ask an admin to raise the limit in the workspace settings." },
      });
      expect(await dumpContacts(t)).toEqual(before);
      await create(t.b.memberToken, { name: "Beta's third" });
      await t.request(t.a.adminToken, "PATCH", "/api/v1/workspace-settings", { contactLimit: null });
      await create(t.a.memberToken, { name: "Third" });
    });
  });
});

describe("contacts API: both dialects answer alike", () => {
  const apps = new Map<Dialect, TestApp>();
  beforeAll(async () => {
    for (const dialect of dialects) apps.set(dialect, await startTestApp(dialect));
  });
  afterAll(async () => {
    for (const app of apps.values()) await app.close();
  });

  it("gives the same names, in the same order, for every filter and sort", async () => {
    // Distinct lower-cased names: ties are ordered by random ids, which differ between the two apps.
    const names = ["Zoë Quinn", "zoe quinn", "Ärger Ärmel", "arne", "ÅSA", "Ålvin", "İlker", "ilse", "straße", "STRASSE", "Ωmega", "ωmegas", "a_b", "a%b", "ab"];
    for (const app of apps.values()) {
      for (const [i, name] of names.entries()) {
        const res = await app.request(app.a.adminToken, "POST", "/api/v1/contacts", { name, emails: [`u${i}@Mail.example`], tags: i % 2 ? ["odd"] : ["Even"] });
        expect(res.statusCode).toBe(201);
      }
    }
    const queries = ["sort=name", "sort=-name", "q=zo", "q=%C3%84R", "q=%C3%A5", "q=%CF%89", "q=stra", "q=a_", "q=a%25", "q=mail.example", "q=U1", "tag=odd&sort=-name", "tag=even", "tag=Even&q=i"];
    for (const query of queries) {
      const answers = await Promise.all(
        [...apps.values()].map(async (app) => ((await app.request(app.a.adminToken, "GET", `/api/v1/contacts?limit=200&${query}`)).json().items as ContactJson[]).map((c) => c.name)),
      );
      expect(answers[1], query).toEqual(answers[0]);
    }
  });

});
