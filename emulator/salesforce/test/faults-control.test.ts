import { describe, expect, it } from "vitest";
import { DEFAULT_ANCHOR, SalesforceStore } from "../index.ts";
import { V, control, sf, soql, useEmulator } from "./helpers.ts";

const t = useEmulator({ seed: 13, accounts: 400, opportunities: 600, contacts: 800 });

describe("faults", () => {
  it("answers INVALID_SESSION_ID once, then the same session works", async () => {
    await control(t.emu.url, "/faults", { endpoint: "query", kind: "status", status: 401, count: 1 });
    const first = await sf(t.emu.url, soql("query", "SELECT Id FROM Account LIMIT 1"), { token: t.tok });
    expect(first.status).toBe(401);
    expect(first.body).toEqual([{ message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID" }]);
    expect((await sf(t.emu.url, soql("query", "SELECT Id FROM Account LIMIT 1"), { token: t.tok })).status).toBe(200);
  });

  it("injects REQUEST_LIMIT_EXCEEDED, 503 and a malformed body on chosen endpoints", async () => {
    await control(t.emu.url, "/faults", { endpoint: "limits", kind: "status", status: 403, count: 1 });
    const limited = await sf(t.emu.url, `${V}/limits`, { token: t.tok });
    expect(limited.status).toBe(403);
    expect(limited.body[0].errorCode).toBe("REQUEST_LIMIT_EXCEEDED");
    await control(t.emu.url, "/faults", { endpoint: "queryAll*", kind: "status", status: 503, count: 1 });
    const down = await sf(t.emu.url, soql("queryAll", "SELECT Id FROM Account"), { token: t.tok });
    expect(down.status).toBe(503);
    expect(down.body[0].errorCode).toBe("SERVER_UNAVAILABLE");
    await control(t.emu.url, "/faults", { endpoint: "sobjects.describe", kind: "malformed", count: 1 });
    const broken = await sf(t.emu.url, `${V}/sobjects/Account/describe`, { token: t.tok });
    expect(broken.status).toBe(200);
    expect(broken.body).toBeUndefined();
    expect((await control(t.emu.url, "/faults")).body.faults).toEqual([]);
  });

  it("counts calls per endpoint key; OAuth and control calls are not part of the allocation", async () => {
    await control(t.emu.url, "/counters/reset", {});
    await control(t.emu.url, "/limits/reset", {});
    const first = await sf(t.emu.url, soql("query", "SELECT Id FROM Contact"), { token: t.tok, headers: { "Sforce-Query-Options": "batchSize=500" } });
    await sf(t.emu.url, first.body.nextRecordsUrl, { token: t.tok });
    await sf(t.emu.url, `${V}/sobjects/Opportunity/describe`, { token: t.tok });
    await sf(t.emu.url, "/services/oauth2/token", { form: { grant_type: "refresh_token", refresh_token: "x", client_id: "sf-emulator-consumer-key", client_secret: "sf-emulator-consumer-secret" } });
    const c = (await control(t.emu.url, "/counters")).body;
    expect(c.endpoints).toEqual({ query: 1, "query.more": 1, "sobjects.describe": 1, "oauth.token": 1 });
    expect((await control(t.emu.url, "/limits")).body.used).toBe(3);
  });
});

describe("control API records", () => {
  it("creates with chosen dates, soft-deletes, undeletes and purges", async () => {
    const rec = await control(t.emu.url, "/records/Opportunity", { fields: { Name: "Ctl", StageName: "Closed Won", CloseDate: "2024-05-01" }, createdDate: "2024-04-01T08:00:00Z", systemModstamp: "2024-04-02T08:00:00Z" });
    expect(rec.body).toMatchObject({ CreatedDate: "2024-04-01T08:00:00.000+0000", LastModifiedDate: "2024-04-01T08:00:00.000+0000", SystemModstamp: "2024-04-02T08:00:00.000+0000", IsWon: true, IsClosed: true });
    const id = rec.body.Id;
    await control(t.emu.url, `/records/Opportunity/${id}?systemModstamp=2024-06-01T00:00:00Z`, undefined, "DELETE");
    const deleted = await sf(t.emu.url, soql("queryAll", `SELECT IsDeleted, SystemModstamp FROM Opportunity WHERE Id = '${id}'`), { token: t.tok });
    expect(deleted.body.records[0]).toMatchObject({ IsDeleted: true, SystemModstamp: "2024-06-01T00:00:00.000+0000" });
    expect((await sf(t.emu.url, `${V}/sobjects/Opportunity/${id}`, { token: t.tok })).body[0].errorCode).toBe("ENTITY_IS_DELETED");
    await control(t.emu.url, `/records/Opportunity/${id}/undelete`, {});
    expect((await sf(t.emu.url, soql("query", `SELECT Id FROM Opportunity WHERE Id = '${id}'`), { token: t.tok })).body.totalSize).toBe(1);
    await control(t.emu.url, `/records/Opportunity/${id}?hard=true`, undefined, "DELETE");
    expect((await sf(t.emu.url, soql("queryAll", `SELECT Id FROM Opportunity WHERE Id = '${id}'`), { token: t.tok })).body.totalSize).toBe(0);
  });

  it("deleting an Account takes its Contacts and Opportunities to the recycle bin; undelete restores them", async () => {
    const acc = await control(t.emu.url, "/records/Account", { fields: { Name: "Cascade Co" } });
    const opp = await control(t.emu.url, "/records/Opportunity", { fields: { Name: "C1", StageName: "Prospecting", CloseDate: "2024-05-01", AccountId: acc.body.Id } });
    const con = await control(t.emu.url, "/records/Contact", { fields: { LastName: "C2", AccountId: acc.body.Id } });
    await sf(t.emu.url, `${V}/sobjects/Account/${acc.body.Id}`, { token: t.tok, method: "DELETE" });
    const q = `SELECT Id, IsDeleted FROM Opportunity WHERE Id = '${opp.body.Id}'`;
    expect((await sf(t.emu.url, soql("queryAll", q), { token: t.tok })).body.records[0].IsDeleted).toBe(true);
    expect((await sf(t.emu.url, soql("query", `SELECT Id FROM Contact WHERE Id = '${con.body.Id}'`), { token: t.tok })).body.totalSize).toBe(0);
    await control(t.emu.url, `/records/Account/${acc.body.Id}/undelete`, {});
    expect((await sf(t.emu.url, soql("queryAll", q), { token: t.tok })).body.records[0].IsDeleted).toBe(false);
    expect((await sf(t.emu.url, soql("query", `SELECT Id FROM Contact WHERE Id = '${con.body.Id}'`), { token: t.tok })).body.totalSize).toBe(1);
  });

  it("refuses bad control input with a stable error, never a 500", async () => {
    expect((await control(t.emu.url, "/records/Lead", { fields: {} })).status).toBe(400);
    expect((await control(t.emu.url, "/records/Account", { fields: { Nope: 1 } })).status).toBe(400);
    expect((await control(t.emu.url, "/records/Account", { fields: { NumberOfEmployees: "many" } })).status).toBe(400);
    expect((await control(t.emu.url, "/validation-rules/Contact", { rules: [{ name: "x", condition: "Email ==", message: "m" }] }, "PUT")).status).toBe(400);
    expect((await control(t.emu.url, "/fields/Account", { name: "NoSuffix", type: "string" })).status).toBe(400);
  });
});

describe("generator", () => {
  it("is deterministic for a seed and writes Website in messy real-world forms", () => {
    const a = new SalesforceStore();
    const b = new SalesforceStore();
    a.seed(99, { accounts: 300, opportunities: 400, contacts: 500 });
    b.seed(99, { accounts: 300, opportunities: 400, contacts: 500 });
    const rows = (s: SalesforceStore) => [...s.all("Opportunity")].map((r) => [r.id, r.values.AccountId, r.values.CreatedDate]);
    expect(rows(a)).toEqual(rows(b));
    const websites = [...a.all("Account")].map((r) => r.values.Website);
    expect(websites.some((w) => typeof w === "string" && w.startsWith("https://www.") && w.split("/").length > 3)).toBe(true);
    expect(websites.some((w) => typeof w === "string" && /^HTTP:\/\/[A-Z0-9.]+$/.test(w))).toBe(true);
    expect(websites.some((w) => typeof w === "string" && /^[a-z0-9]+\.[a-z.]+$/.test(w))).toBe(true);
    expect(websites.some((w) => w === null)).toBe(true);
    expect(websites.some((w) => typeof w === "string" && !w.includes("."))).toBe(true);
    const created = [...a.all("Account")].map((r) => r.values.CreatedDate as number);
    expect(Math.max(...created)).toBeLessThan(DEFAULT_ANCHOR);
    const opps = [...a.all("Opportunity")];
    expect(opps.filter((o) => o.values.AccountId === null).length).toBeGreaterThan(0);
    expect(new Set(opps.map((o) => o.values.AccountId)).size).toBeGreaterThan(100);
    const emails = [...a.all("Contact")].map((c) => c.values.Email).filter(Boolean);
    expect(new Set(emails).size).toBe(emails.length);
  });
});
