import { describe, expect, it } from "vitest";
import { V, control, queryAllPages, sf, soql, useEmulator } from "./helpers.ts";

const t = useEmulator({ seed: 11, accounts: 30, opportunities: 40, contacts: 300 });

describe("Contact list views", () => {
  it("lists a view defined through the control API and describes it with a runnable SOQL query", async () => {
    const made = await control(t.emu.url, "/list-views", { label: "Web leads", where: "LeadSource = 'Web' AND Email != null" });
    expect(made.status).toBe(201);
    const list = await sf(t.emu.url, `${V}/sobjects/Contact/listviews`, { token: t.tok });
    expect(list.body).toMatchObject({ done: true, size: 1, sobjectType: "Contact", nextRecordsUrl: null });
    const view = list.body.listviews[0];
    expect(view).toMatchObject({ id: made.body.id, label: "Web leads", developerName: "Web_leads", soqlCompatible: true });
    expect(view.id).toMatch(/^00B[a-zA-Z0-9]{15}$/);
    const described = await sf(t.emu.url, view.describeUrl, { token: t.tok });
    expect(described.status).toBe(200);
    expect(described.body.query).toBe(
      "SELECT Name, AccountId, Title, Phone, Email, Id, CreatedDate, LastModifiedDate, SystemModstamp FROM Contact WHERE LeadSource = 'Web' AND Email != null ORDER BY Name ASC NULLS FIRST, Id ASC NULLS FIRST",
    );
    expect(described.body.columns.map((c: any) => c.fieldNameOrPath)).toEqual(["Name", "AccountId", "Title", "Phone", "Email"]);
    const rows = await queryAllPages(t.emu.url, t.tok, soql("query", described.body.query));
    expect(rows.records.length).toBeGreaterThan(0);
    for (const r of rows.records) expect(r.Email).not.toBeNull();
    const all = await sf(t.emu.url, soql("query", "SELECT COUNT() FROM Contact WHERE LeadSource = 'Web' AND Email != null"), { token: t.tok });
    expect(rows.records).toHaveLength(all.body.totalSize);
  });

  it("refuses a view whose filter names an unknown field, and 404s an unknown view", async () => {
    const bad = await control(t.emu.url, "/list-views", { label: "Bad", where: "Shoe__c = 'x'" });
    expect(bad.status).toBe(400);
    expect((await sf(t.emu.url, `${V}/sobjects/Contact/listviews/00B000000000000AAA/describe`, { token: t.tok })).status).toBe(404);
  });
});

describe("ContactHistory (field history tracking)", () => {
  it("records tracked field changes made through the API and the control API, queryable by ContactId", async () => {
    const created = await sf(t.emu.url, `${V}/composite/sobjects`, { token: t.tok, body: { records: [{ attributes: { type: "Contact" }, LastName: "Hist", Email: "h1@example.com" }] } });
    const id = created.body[0].id;
    await control(t.emu.url, "/clock/advance", { ms: 1000 });
    await sf(t.emu.url, `${V}/composite/sobjects`, { token: t.tok, method: "PATCH", body: { records: [{ attributes: { type: "Contact" }, id, Email: "h2@example.com", Department: "Ops" }] } });
    await control(t.emu.url, `/records/Contact/${id}`, { fields: { Title: "VP" } }, "PATCH");
    const res = await sf(t.emu.url, soql("query", `SELECT ContactId, Field, OldValue, NewValue, CreatedDate FROM ContactHistory WHERE ContactId = '${id}' ORDER BY CreatedDate, Field`), { token: t.tok });
    expect(res.body.records.map((r: any) => [r.Field, r.OldValue, r.NewValue])).toEqual([
      ["created", null, null],
      ["Email", "h1@example.com", "h2@example.com"],
      ["Title", null, "VP"],
    ]);
    const sub = await sf(t.emu.url, soql("query", `SELECT Id, (SELECT Field FROM Histories) FROM Contact WHERE Id = '${id}'`), { token: t.tok });
    expect(sub.body.records[0].Histories.totalSize).toBe(3);
  });

  it("tracks only the fields chosen through the control API", async () => {
    await control(t.emu.url, "/field-history/Contact", { fields: ["Phone"] }, "PUT");
    const c = await control(t.emu.url, "/records/Contact", { fields: { LastName: "Quiet" } });
    await control(t.emu.url, `/records/Contact/${c.body.Id}`, { fields: { Email: "q@example.com", Phone: "+1 555" } }, "PATCH");
    const res = await sf(t.emu.url, soql("query", `SELECT Field FROM ContactHistory WHERE ContactId = '${c.body.Id}' AND Field != 'created'`), { token: t.tok });
    expect(res.body.records.map((r: any) => r.Field)).toEqual(["Phone"]);
  });
});
