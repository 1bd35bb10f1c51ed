import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSalesforceEmulator, type RunningSalesforceEmulator } from "../index.ts";
import { control, queryAllPages, sf, soql, token, V } from "./helpers.ts";

let emu: RunningSalesforceEmulator;
let tok: string;

beforeAll(async () => {
  emu = await startSalesforceEmulator({ seed: 7, accounts: 5000, opportunities: 300, contacts: 200 });
  tok = await token(emu.url);
});

afterAll(async () => {
  await emu.close();
});

describe("query and queryAll", () => {
  it("pages 5,000 accounts through nextRecordsUrl in pages of 2,000, every Id once", async () => {
    const first = await sf(emu.url, soql("query", "SELECT Id, Name, Website FROM Account"), { token: tok });
    expect(first.status).toBe(200);
    expect(first.body.totalSize).toBe(5000);
    expect(first.body.done).toBe(false);
    expect(first.body.records).toHaveLength(2000);
    expect(first.body.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/query\/01g[a-zA-Z0-9]{15}-2000$/);
    expect(first.body.records[0].attributes).toEqual({ type: "Account", url: `${V}/sobjects/Account/${first.body.records[0].Id}` });
    expect(Object.keys(first.body.records[0])).toEqual(["attributes", "Id", "Name", "Website"]);
    const all = await queryAllPages(emu.url, tok, soql("query", "SELECT Id FROM Account"));
    expect(all.calls).toBe(3);
    expect(all.records).toHaveLength(5000);
    expect(new Set(all.records.map((r) => r.Id)).size).toBe(5000);
    for (const r of all.records) expect(r.Id).toMatch(/^001[a-zA-Z0-9]{15}$/);
  });

  it("honours Sforce-Query-Options batchSize (200..2000), and the locator also pages queryAll", async () => {
    const all = await queryAllPages(emu.url, tok, soql("queryAll", "SELECT Id FROM Account"), { "Sforce-Query-Options": "batchSize=1000" });
    expect(all.calls).toBe(5);
    const small = await sf(emu.url, soql("queryAll", "SELECT Id FROM Account"), { token: tok, headers: { "Sforce-Query-Options": "batchSize=50" } });
    expect(small.body.records).toHaveLength(200);
    expect(small.body.nextRecordsUrl).toContain("/queryAll/01g");
  });

  it("hides soft-deleted rows from query and shows them with IsDeleted in queryAll", async () => {
    const created = await control(emu.url, "/records/Contact", { fields: { LastName: "Gone", Email: "gone@example.com" } });
    await control(emu.url, `/records/Contact/${created.body.Id}`, undefined, "DELETE");
    const q = `SELECT Id, IsDeleted FROM Contact WHERE Email = 'gone@example.com'`;
    expect((await sf(emu.url, soql("query", q), { token: tok })).body.totalSize).toBe(0);
    const all = await sf(emu.url, soql("queryAll", q), { token: tok });
    expect(all.body.records).toEqual([{ attributes: expect.any(Object), Id: created.body.Id, IsDeleted: true }]);
    const live = await sf(emu.url, soql("queryAll", `${q} AND IsDeleted = false`), { token: tok });
    expect(live.body.totalSize).toBe(0);
  });

  it("filters on SystemModstamp >= a datetime literal and renders Salesforce's datetime form", async () => {
    const rec = await control(emu.url, "/records/Account", { fields: { Name: "Late Co", Website: "late.example" }, createdDate: "2031-05-01T10:00:00.000Z" });
    const res = await sf(emu.url, soql("queryAll", "SELECT Id, SystemModstamp, CreatedDate FROM Account WHERE SystemModstamp >= 2031-05-01T10:00:00Z"), { token: tok });
    expect(res.body.records).toEqual([{ attributes: expect.any(Object), Id: rec.body.Id, SystemModstamp: "2031-05-01T10:00:00.000+0000", CreatedDate: "2031-05-01T10:00:00.000+0000" }]);
    const offset = await sf(emu.url, soql("queryAll", "SELECT Id FROM Account WHERE SystemModstamp > 2031-05-01T11:59:59+02:00"), { token: tok });
    expect(offset.body.records.map((r: any) => r.Id)).toEqual([rec.body.Id]);
  });

  it("ORDER BY CreatedDate DESC, Id DESC LIMIT 1 gives an account's latest opportunity, ties broken by Id", async () => {
    const acc = await control(emu.url, "/records/Account", { fields: { Name: "Tie Co" } });
    const at = "2030-01-01T00:00:00Z";
    const a = await control(emu.url, "/records/Opportunity", { fields: { Name: "A", StageName: "Prospecting", CloseDate: "2030-02-01", AccountId: acc.body.Id }, createdDate: at });
    const b = await control(emu.url, "/records/Opportunity", { fields: { Name: "B", StageName: "Prospecting", CloseDate: "2030-02-01", AccountId: acc.body.Id }, createdDate: at });
    await control(emu.url, "/records/Opportunity", { fields: { Name: "Older", StageName: "Prospecting", CloseDate: "2030-02-01", AccountId: acc.body.Id }, createdDate: "2029-01-01T00:00:00Z" });
    expect(b.body.Id > a.body.Id).toBe(true);
    const res = await sf(emu.url, soql("query", `SELECT Id, CreatedDate FROM Opportunity WHERE AccountId = '${acc.body.Id}' ORDER BY CreatedDate DESC, Id DESC LIMIT 1`), { token: tok });
    expect(res.body.records.map((r: any) => r.Id)).toEqual([b.body.Id]);
    const asc = await sf(emu.url, soql("query", `SELECT Id FROM Opportunity WHERE AccountId = '${acc.body.Id.slice(0, 15)}' ORDER BY CreatedDate ASC NULLS LAST, Id`), { token: tok });
    expect(asc.body.records).toHaveLength(3);
  });

  it("answers a parent-child subquery per account", async () => {
    const acc = await control(emu.url, "/records/Account", { fields: { Name: "Parent Co" } });
    const opp = await control(emu.url, "/records/Opportunity", { fields: { Name: "Child", StageName: "Prospecting", CloseDate: "2030-02-01", AccountId: acc.body.Id }, createdDate: "2030-03-03T03:03:03Z" });
    const con = await control(emu.url, "/records/Contact", { fields: { LastName: "Kid", AccountId: acc.body.Id } });
    const res = await sf(emu.url, soql("query", `SELECT Id, Name, (SELECT Id, CreatedDate FROM Opportunities ORDER BY CreatedDate DESC LIMIT 1), (SELECT Id FROM Contacts) FROM Account WHERE Id = '${acc.body.Id}'`), { token: tok });
    expect(res.status).toBe(200);
    const row = res.body.records[0];
    expect(row.Opportunities).toEqual({ totalSize: 1, done: true, records: [{ attributes: { type: "Opportunity", url: `${V}/sobjects/Opportunity/${opp.body.Id}` }, Id: opp.body.Id, CreatedDate: "2030-03-03T03:03:03.000+0000" }] });
    expect(row.Contacts.records.map((r: any) => r.Id)).toEqual([con.body.Id]);
    const none = await sf(emu.url, soql("query", `SELECT Id, (SELECT Id FROM Contacts) FROM Account WHERE Name = 'Late Co'`), { token: tok });
    expect(none.body.records[0].Contacts).toBeNull();
  });

  it("supports AND/OR/NOT, IN, NOT IN, LIKE, null, booleans, escapes, COUNT() and OFFSET", async () => {
    await control(emu.url, "/records/Account", { fields: { Name: "O'Brien & Sons", Website: null, Is_Strategic__c: true, NumberOfEmployees: 12 } });
    const q = (s: string) => sf(emu.url, soql("query", s), { token: tok });
    expect((await q("SELECT Id FROM Account WHERE Name = 'O\\'Brien & Sons'")).body.totalSize).toBe(1);
    expect((await q("SELECT Id FROM Account WHERE Name LIKE 'o\\'brien%' AND Website = null AND Is_Strategic__c = true")).body.totalSize).toBe(1);
    expect((await q("SELECT Id FROM Account WHERE (Name IN ('Tie Co', 'Parent Co') OR Name = 'Late Co') AND NOT Name = 'Late Co'")).body.totalSize).toBe(2);
    expect((await q("SELECT Id FROM Account WHERE Name NOT IN ('Tie Co') AND Name LIKE '%Co'")).body.totalSize).toBe(2);
    expect((await q("SELECT Id FROM Account WHERE NumberOfEmployees >= 12 AND NumberOfEmployees < 13 AND Name LIKE 'O%'")).body.totalSize).toBe(1);
    const count = await q("SELECT COUNT() FROM Account WHERE Name LIKE '%Co'");
    expect(count.body).toEqual({ totalSize: 3, done: true, records: [] });
    const page = await q("SELECT Name FROM Account WHERE Name LIKE '%Co' ORDER BY Name DESC LIMIT 1 OFFSET 1");
    expect(page.body.records.map((r: any) => r.Name)).toEqual(["Parent Co"]);
  });

  it("selects a parent field through the Account relationship", async () => {
    const res = await sf(emu.url, soql("query", "SELECT Id, Account.Name, Account.Website FROM Opportunity WHERE Name = 'Child'"), { token: tok });
    expect(res.body.records[0].Account).toEqual({ attributes: { type: "Account", url: expect.stringContaining("/sobjects/Account/001") }, Name: "Parent Co", Website: null });
  });

  it("answers MALFORMED_QUERY, INVALID_FIELD and INVALID_TYPE as Salesforce does", async () => {
    const bad = await sf(emu.url, soql("query", "SELECT Id FROM"), { token: tok });
    expect(bad.status).toBe(400);
    expect(bad.body[0].errorCode).toBe("MALFORMED_QUERY");
    expect(bad.body[0].message).toContain("ERROR at Row:1:Column:15");
    const mixed = await sf(emu.url, soql("query", "SELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Name = 'c'"), { token: tok });
    expect(mixed.body[0].errorCode).toBe("MALFORMED_QUERY");
    const field = await sf(emu.url, soql("query", "SELECT Id, Domain FROM Account"), { token: tok });
    expect(field.status).toBe(400);
    expect(field.body).toEqual([
      {
        errorCode: "INVALID_FIELD",
        message: expect.stringContaining("No such column 'Domain' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name."),
      },
    ]);
    const quoted = await sf(emu.url, soql("query", "SELECT Id FROM Account WHERE SystemModstamp >= '2024-01-01T00:00:00Z'"), { token: tok });
    expect(quoted.body[0].errorCode).toBe("INVALID_FIELD");
    expect(quoted.body[0].message).toContain("must be of type dateTime and should not be enclosed in quotes");
    const type = await sf(emu.url, soql("query", "SELECT Id FROM Lead"), { token: tok });
    expect(type.body[0].errorCode).toBe("INVALID_TYPE");
    const dup = await sf(emu.url, soql("query", "SELECT Id, Name, id FROM Account"), { token: tok });
    expect(dup.body[0].message).toContain("duplicate field selected: id");
    const locator = await sf(emu.url, `${V}/query/01gXXXXXXXXXXXXXXX-2000`, { token: tok });
    expect(locator.body[0].errorCode).toBe("INVALID_QUERY_LOCATOR");
  });

  it("answers 414 for a request URI over 16,384 bytes and 404 for an unknown API version", async () => {
    const fields = Array.from({ length: 2000 }, (_, i) => `Field${i}__c`).join(",");
    const long = await sf(emu.url, soql("query", `SELECT ${fields} FROM Account`), { token: tok });
    expect(long.status).toBe(414);
    const old = await sf(emu.url, "/services/data/v30.0/limits", { token: tok });
    expect(old.status).toBe(404);
    expect(old.body).toEqual([{ errorCode: "NOT_FOUND", message: "The requested resource does not exist" }]);
    const versions = await sf(emu.url, "/services/data/");
    expect(versions.body[0]).toEqual({ label: "Summer '14", url: "/services/data/v31.0", version: "31.0" });
    expect(versions.body.find((v: any) => v.version === "60.0").label).toBe("Spring '24");
  });
});
