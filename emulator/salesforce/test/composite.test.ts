import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSalesforceEmulator, type RunningSalesforceEmulator } from "../index.ts";
import { control, sf, soql, token, V } from "./helpers.ts";

let emu: RunningSalesforceEmulator;
let tok: string;

beforeAll(async () => {
  emu = await startSalesforceEmulator({ seed: 5, accounts: 5, opportunities: 5, contacts: 5 });
  tok = await token(emu.url);
});

afterAll(async () => {
  await emu.close();
});

const contact = (fields: Record<string, unknown>) => ({ attributes: { type: "Contact" }, ...fields });

describe("sObject Collections", () => {
  it("creates and updates contacts, with a validation rule failing one record, as one API call each", async () => {
    await control(emu.url, "/validation-rules/Contact", { rules: [{ name: "Work_email", condition: "Email LIKE '%@blocked.example'", message: "Use a work email address.", field: "Email" }] }, "PUT");
    await control(emu.url, "/counters/reset", {});
    const before = (await control(emu.url, "/limits")).body.used;
    const created = await sf(emu.url, `${V}/composite/sobjects`, {
      token: tok,
      body: { allOrNone: false, records: [contact({ LastName: "One", Email: "one@ok.example" }), contact({ LastName: "Two", Email: "two@blocked.example" })] },
    });
    expect(created.status).toBe(200);
    expect(created.body[0]).toEqual({ id: expect.stringMatching(/^003[a-zA-Z0-9]{15}$/), success: true, errors: [] });
    expect(created.body[1]).toEqual({ success: false, errors: [{ statusCode: "FIELD_CUSTOM_VALIDATION_EXCEPTION", message: "Use a work email address.", fields: ["Email"] }] });
    expect((await control(emu.url, "/limits")).body.used).toBe(before + 1);

    const id = created.body[0].id;
    const stamp = (await control(emu.url, `/records/Contact/${id}`)).body.SystemModstamp;
    await control(emu.url, "/clock/advance", { ms: 5000 });
    const updated = await sf(emu.url, `${V}/composite/sobjects`, {
      token: tok,
      method: "PATCH",
      body: { records: [contact({ id, Title: "CTO" }), contact({ id, Email: "x@blocked.example" }), contact({ id: "003000000000000AAA", Title: "x" })] },
    });
    expect(updated.body[0]).toEqual({ id, success: true, errors: [] });
    expect(updated.body[1]).toEqual({ id, success: false, errors: [{ statusCode: "FIELD_CUSTOM_VALIDATION_EXCEPTION", message: "Use a work email address.", fields: ["Email"] }] });
    expect(updated.body[2].success).toBe(false);
    const after = await control(emu.url, `/records/Contact/${id}`);
    expect(after.body.Title).toBe("CTO");
    expect(Date.parse(after.body.SystemModstamp.replace("+0000", "Z"))).toBeGreaterThan(Date.parse(stamp.replace("+0000", "Z")));
    expect(after.body.LastModifiedDate).toBe(after.body.SystemModstamp);
    const counters = (await control(emu.url, "/counters")).body.endpoints;
    expect(counters).toMatchObject({ "composite.sobjects.create": 1, "composite.sobjects.update": 1 });
    await control(emu.url, "/validation-rules/Contact", undefined, "DELETE");
  });

  it("rolls every record back with allOrNone", async () => {
    const res = await sf(emu.url, `${V}/composite/sobjects`, { token: tok, body: { allOrNone: true, records: [contact({ LastName: "Kept?", Email: "kept@ok.example" }), contact({ Email: "nolast@ok.example" })] } });
    expect(res.body[0]).toEqual({ success: false, errors: [{ statusCode: "ALL_OR_NONE_OPERATION_ROLLED_BACK", message: expect.stringContaining("rolled back"), fields: [] }] });
    expect(res.body[1].errors[0]).toEqual({ statusCode: "REQUIRED_FIELD_MISSING", message: "Required fields are missing: [LastName]", fields: ["LastName"] });
    expect((await sf(emu.url, soql("query", "SELECT Id FROM Contact WHERE Email = 'kept@ok.example'"), { token: tok })).body.totalSize).toBe(0);
  });

  it("refuses read-only fields per record, unknown fields for the whole request, and more than 200 records", async () => {
    const ro = await sf(emu.url, `${V}/composite/sobjects`, { token: tok, body: { records: [contact({ LastName: "RO", SystemModstamp: "2024-01-01T00:00:00Z" })] } });
    expect(ro.body[0].errors[0]).toMatchObject({ statusCode: "INVALID_FIELD_FOR_INSERT_UPDATE", fields: ["SystemModstamp"] });
    const unknown = await sf(emu.url, `${V}/composite/sobjects`, { token: tok, body: { records: [contact({ LastName: "U", Shoe__c: 1 })] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body[0]).toEqual({ errorCode: "INVALID_FIELD", message: "No such column 'Shoe__c' on sobject of type Contact" });
    const many = await sf(emu.url, `${V}/composite/sobjects`, { token: tok, body: { records: Array.from({ length: 201 }, (_, i) => contact({ LastName: `N${i}` })) } });
    expect(many.status).toBe(400);
    expect(many.body[0].errorCode).toBe("EXCEEDED_ID_LIMIT");
    const ok = await sf(emu.url, `${V}/composite/sobjects`, { token: tok, body: { records: Array.from({ length: 200 }, (_, i) => contact({ LastName: `N${i}` })) } });
    expect(ok.body.every((r: any) => r.success)).toBe(true);
  });
});
