import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSalesforceEmulator, type RunningSalesforceEmulator } from "../index.ts";
import { control, sf, soql, token, V } from "./helpers.ts";

let emu: RunningSalesforceEmulator;
let tok: string;

beforeAll(async () => {
  emu = await startSalesforceEmulator({ seed: 3, accounts: 20, opportunities: 30, contacts: 40, dailyApiLimit: 50 });
  tok = await token(emu.url);
});

afterAll(async () => {
  await emu.close();
});

describe("describe", () => {
  it("describes Account with every field type of the import mapping, compound parts and a formula", async () => {
    const res = await sf(emu.url, `${V}/sobjects/Account/describe`, { token: tok });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe("Account");
    expect(res.body.keyPrefix).toBe("001");
    const byName = Object.fromEntries(res.body.fields.map((f: any) => [f.name, f]));
    const types = new Set(res.body.fields.map((f: any) => f.type));
    for (const t of ["id", "string", "textarea", "phone", "url", "picklist", "multipicklist", "boolean", "currency", "percent", "double", "int", "long", "date", "datetime", "address", "location", "base64", "anyType", "encryptedstring", "reference"]) {
      expect(types.has(t), t).toBe(true);
    }
    expect(byName.Website.type).toBe("url");
    expect(byName.BillingAddress.type).toBe("address");
    expect(byName.BillingCity.compoundFieldName).toBe("BillingAddress");
    expect(byName.OwnerId).toMatchObject({ type: "reference", referenceTo: ["User"] });
    expect(byName.Revenue_Per_Employee__c).toMatchObject({ calculated: true, updateable: false, type: "currency" });
    expect(byName.Revenue_Per_Employee__c.calculatedFormula).toContain("AnnualRevenue");
    expect(byName.SystemModstamp).toMatchObject({ type: "datetime", createable: false, updateable: false });
    for (const key of ["name", "label", "type", "calculated", "calculatedFormula", "createable", "updateable", "nillable", "picklistValues", "referenceTo", "length", "compoundFieldName"]) {
      expect(byName.Industry).toHaveProperty(key);
    }
    expect(byName.Industry.picklistValues[0]).toEqual({ active: true, defaultValue: false, label: "Agriculture", validFor: null, value: "Agriculture" });
    expect(res.body.childRelationships.map((r: any) => r.relationshipName)).toEqual(["Opportunities", "Contacts"]);
  });

  it("describes Opportunity.StageName as a picklist and Contact.Email as email", async () => {
    const opp = await sf(emu.url, `${V}/sobjects/Opportunity/describe`, { token: tok });
    const stage = opp.body.fields.find((f: any) => f.name === "StageName");
    expect(stage.type).toBe("picklist");
    expect(stage.picklistValues.map((p: any) => p.value)).toContain("Closed Won");
    expect(opp.body.fields.find((f: any) => f.name === "AccountId").referenceTo).toEqual(["Account"]);
    const con = await sf(emu.url, `${V}/sobjects/Contact/describe`, { token: tok });
    expect(con.body.fields.find((f: any) => f.name === "Email").type).toBe("email");
    expect((await sf(emu.url, `${V}/sobjects/Lead/describe`, { token: tok })).status).toBe(404);
  });

  it("adds a custom field through the control API; it shows in describe and queries", async () => {
    const added = await control(emu.url, "/fields/Account", { name: "Tier__c", type: "picklist", picklistValues: ["Gold", "Silver"] });
    expect(added.status).toBe(201);
    const res = await sf(emu.url, `${V}/sobjects/Account/describe`, { token: tok });
    expect(res.body.fields.find((f: any) => f.name === "Tier__c")).toMatchObject({ custom: true, type: "picklist" });
    const q = await sf(emu.url, soql("query", "SELECT Id, Tier__c FROM Account LIMIT 1"), { token: tok });
    expect(q.body.records[0].Tier__c).toBeNull();
  });

  it("renders every value type as Salesforce does in a record", async () => {
    const rec = await control(emu.url, "/records/Account", {
      fields: { Name: "Typed", Segments__c: "SMB;Startup", AnnualRevenue: 1000, NumberOfEmployees: 4, Customer_Since__c: "2024-01-15", BillingCity: "Berlin", Headquarters__Latitude__s: 52.5, Headquarters__Longitude__s: 13.4 },
    });
    const res = await sf(emu.url, `${V}/sobjects/Account/${rec.body.Id}`, { token: tok });
    expect(res.body).toMatchObject({
      Segments__c: "SMB;Startup",
      AnnualRevenue: 1000,
      NumberOfEmployees: 4,
      Customer_Since__c: "2024-01-15",
      Is_Strategic__c: false,
      Revenue_Per_Employee__c: 250,
      Headquarters__c: { latitude: 52.5, longitude: 13.4 },
    });
    expect(res.body.BillingAddress).toMatchObject({ city: "Berlin", country: null });
    expect(res.body.CreatedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
  });
});

describe("daily API allocation", () => {
  it("reports usage in Sforce-Limit-Info and /limits, then refuses calls with REQUEST_LIMIT_EXCEEDED", async () => {
    await control(emu.url, "/limits", { used: 40 }, "PUT");
    const first = await sf(emu.url, `${V}/limits`, { token: tok });
    expect(first.headers.get("sforce-limit-info")).toBe("api-usage=41/50");
    expect(first.body.DailyApiRequests).toEqual({ Max: 50, Remaining: 9 });
    expect(first.body.DailyBulkV2QueryJobs).toEqual({ Max: 10000, Remaining: 10000 });
    // OAuth token calls and the version list do not count.
    await sf(emu.url, "/services/data/");
    for (let i = 0; i < 9; i++) expect((await sf(emu.url, soql("query", "SELECT Id FROM Account LIMIT 1"), { token: tok })).status).toBe(200);
    const over = await sf(emu.url, soql("query", "SELECT Id FROM Account LIMIT 1"), { token: tok });
    expect(over.status).toBe(403);
    expect(over.body).toEqual([{ message: "TotalRequests Limit exceeded.", errorCode: "REQUEST_LIMIT_EXCEEDED" }]);
    expect(over.headers.get("sforce-limit-info")).toBe("api-usage=50/50");
  });

  it("is a rolling 24-hour window on the emulator clock, not a daily reset", async () => {
    await control(emu.url, "/limits/reset", {});
    let t = await token(emu.url);
    for (let i = 0; i < 30; i++) expect((await sf(emu.url, `${V}/limits`, { token: t })).status).toBe(200);
    await control(emu.url, "/clock/advance", { ms: 12 * 3600_000 });
    t = await token(emu.url);
    for (let i = 0; i < 20; i++) expect((await sf(emu.url, `${V}/limits`, { token: t })).status).toBe(200);
    expect((await sf(emu.url, `${V}/limits`, { token: t })).status).toBe(403);
    expect((await control(emu.url, "/limits")).body).toMatchObject({ max: 50, used: 50, remaining: 0 });
    // Twelve hours and a millisecond later the first 30 calls have left the window, the last 20 have not.
    await control(emu.url, "/clock/advance", { ms: 12 * 3600_000 + 1 });
    t = await token(emu.url);
    const after = await sf(emu.url, `${V}/limits`, { token: t });
    expect(after.status).toBe(200);
    expect(after.headers.get("sforce-limit-info")).toBe("api-usage=21/50");
    expect(after.body.DailyApiRequests).toEqual({ Max: 50, Remaining: 29 });
  });
});
