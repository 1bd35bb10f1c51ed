import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../index.ts";
import { api, control } from "./helpers.ts";

/** 2026-09 writes: the portal's validation rules, record urls, and the control API's createdate. */
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ seed: 3, companies: 20, deals: 20, contacts: 20, rateLimits: false });
});

afterAll(async () => {
  await emu.close();
});

beforeEach(async () => {
  await control(emu.url, "/validation-rules/deals", undefined, "DELETE");
});

const closedWonNeedsCloseDate = {
  rules: [
    { kind: "required_when", property: "closedate", when: { property: "dealstage", equals: "closedwon" } },
    { kind: "range", property: "amount", min: 0, max: 1_000_000 },
    { kind: "regex", property: "dealname", pattern: "[A-Z].*", message: "Deal names start with a capital letter" },
  ],
};

describe("validation rules (enforced on 2026-09 writes)", () => {
  it("answers a single create or update that breaks a rule with 400 VALIDATION_ERROR naming the property", async () => {
    expect((await control(emu.url, "/validation-rules/deals", closedWonNeedsCloseDate, "PUT")).status).toBe(200);
    const r = await api(emu.url, "/crm/objects/2026-09/deals", { body: { properties: { dealname: "Big one", dealstage: "closedwon" } } });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({
      category: "VALIDATION_ERROR",
      errors: [{ in: "closedate", code: "REQUIRED_PROPERTY_MISSING", context: { whenProperty: ["dealstage"], whenValue: ["closedwon"] } }],
    });
    expect(r.body.message).toContain("closedate is required when dealstage is closedwon");
    expect(r.body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await api(emu.url, "/crm/objects/2026-09/deals", { body: { properties: { dealname: "small", amount: "-5" } } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { in: string; code: string }) => `${e.in}:${e.code}`).sort()).toEqual(["amount:OUT_OF_RANGE", "dealname:INVALID_FORMAT"]);
    const ok = await api(emu.url, "/crm/objects/2026-09/deals", { body: { properties: { dealname: "Big one", dealstage: "closedwon", closedate: "2026-11-30" } } });
    expect(ok.status).toBe(201);
    // Moving an open deal to closedwon without a close date breaks the rule too.
    const open = await api(emu.url, "/crm/objects/2026-09/deals", { body: { properties: { dealname: "Open", dealstage: "qualifiedtobuy" } } });
    const moved = await api(emu.url, `/crm/objects/2026-09/deals/${open.body.id}`, { method: "PATCH", body: { properties: { dealstage: "closedwon" } } });
    expect(moved.status).toBe(400);
    expect(emu.store.objects.deals.get(Number(open.body.id))!.props.dealstage).toBe("qualifiedtobuy");
  });

  it("applies the valid items of a batch and answers 207 with a per-item VALIDATION_ERROR for the others", async () => {
    await control(emu.url, "/validation-rules/deals", closedWonNeedsCloseDate, "PUT");
    const before = emu.store.objects.deals.liveCount();
    const created = await api(emu.url, "/crm/objects/2026-09/deals/batch/create", {
      body: {
        inputs: [
          { properties: { dealname: "Alpha", dealstage: "closedwon", closedate: "2026-10-01" } },
          { properties: { dealname: "Beta", dealstage: "closedwon" }, objectWriteTraceId: "t-beta" },
          { properties: { dealname: "Gamma", amount: "50" } },
        ],
      },
    });
    expect(created.status).toBe(207);
    expect(created.body.results.map((r: { properties: { dealname: string } }) => r.properties.dealname)).toEqual(["Alpha", "Gamma"]);
    expect(created.body.numErrors).toBe(1);
    expect(created.body.errors[0]).toMatchObject({
      status: "error",
      category: "VALIDATION_ERROR",
      context: { inputIndex: ["1"], objectWriteTraceId: ["t-beta"], propertyName: ["closedate"] },
      errors: [{ in: "closedate", code: "REQUIRED_PROPERTY_MISSING" }],
      links: {},
    });
    expect(emu.store.objects.deals.liveCount()).toBe(before + 2);

    const [alpha, gamma] = created.body.results.map((r: { id: string }) => r.id);
    const updated = await api(emu.url, "/crm/objects/2026-09/deals/batch/update", {
      body: { inputs: [{ id: gamma, properties: { dealstage: "closedwon" } }, { id: alpha, properties: { amount: "900" } }, { id: "999", properties: { amount: "1" } }] },
    });
    expect(updated.status).toBe(207);
    expect(updated.body.results.map((r: { id: string }) => r.id)).toEqual([alpha]);
    expect(updated.body.numErrors).toBe(2);
    expect(updated.body.errors.map((e: { category: string; context: { ids: string[] } }) => [e.category, e.context.ids])).toEqual([
      ["OBJECT_NOT_FOUND", ["999"]],
      ["VALIDATION_ERROR", [gamma]],
    ]);
  });

  it("does not enforce the rules on legacy v3 writes", async () => {
    await control(emu.url, "/validation-rules/deals", closedWonNeedsCloseDate, "PUT");
    const r = await api(emu.url, "/crm/v3/objects/deals", { body: { properties: { dealname: "Legacy", dealstage: "closedwon" } } });
    expect(r.status).toBe(201);
  });

  it("refuses rules on unknown properties or of unknown kinds", async () => {
    expect((await control(emu.url, "/validation-rules/deals", { rules: [{ kind: "required_when", property: "nope" }] }, "PUT")).status).toBe(400);
    expect((await control(emu.url, "/validation-rules/deals", { rules: [{ kind: "magic", property: "amount" }] }, "PUT")).status).toBe(400);
    expect((await control(emu.url, "/validation-rules/deals", { rules: [{ kind: "regex", property: "amount", pattern: "(" }] }, "PUT")).status).toBe(400);
  });
});

describe("2026-09 record answers", () => {
  it("carry the record's url; legacy answers do not", async () => {
    const id = emu.store.objects.companies.records[0]!.id;
    const now = await api(emu.url, `/crm/objects/2026-09/companies/${id}`);
    expect(now.body.url).toBe(`https://app.hubspot.com/contacts/62515/record/0-2/${id}`);
    const old = await api(emu.url, `/crm/v3/objects/companies/${id}`);
    expect(old.body.url).toBeUndefined();
    const search = await api(emu.url, "/crm/objects/2026-09/companies/search", { body: { limit: 1 } });
    expect(search.body.results[0].url).toMatch(/^https:\/\/app\.hubspot\.com\/contacts\/62515\/record\/0-2\/\d+$/);
  });
});

describe("control API: createdate", () => {
  it("back-dates a record's createdate, which GET, search and history then show", async () => {
    const id = emu.store.objects.contacts.records[2]!.id;
    const r = await control(emu.url, `/objects/contacts/${id}`, { properties: { createdate: "2015-02-03T04:05:06.000Z" } }, "PATCH");
    expect(r.status).toBe(200);
    const got = await api(emu.url, `/crm/objects/2026-09/contacts/${id}?properties=createdate`);
    expect(got.body.createdAt).toBe("2015-02-03T04:05:06.000Z");
    expect(got.body.properties.createdate).toBe("2015-02-03T04:05:06.000Z");
    const found = await api(emu.url, "/crm/objects/2026-09/contacts/search", {
      body: { filterGroups: [{ filters: [{ propertyName: "createdate", operator: "LT", value: "2015-02-04T00:00:00Z" }] }] },
    });
    expect(found.body.results.map((x: { id: string }) => x.id)).toEqual([String(id)]);
  });
});

describe("property definitions", () => {
  it("define hs_additional_domains as HubSpot does, carry dataSensitivity, and include the calculated field types", async () => {
    const defs = (await api(emu.url, "/crm/properties/2026-09/companies")).body.results as Array<Record<string, unknown>>;
    expect(defs.find((d) => d.name === "hs_additional_domains")).toMatchObject({ type: "enumeration", fieldType: "checkbox", options: [], hidden: true });
    expect(defs.every((d) => d.dataSensitivity === "non_sensitive")).toBe(true);
    const pairs = new Set(defs.map((d) => `${String(d.type)}/${String(d.fieldType)}`));
    for (const pair of ["datetime/text", "number/text", "string/calculation_equation", "datetime/calculation_read_time", "datetime/calculation_rollup", "enumeration/calculation_rollup", "datetime/calculation_equation"])
      expect(pairs).toContain(pair);
    // Any domains may be written to the open multi-value property.
    const id = emu.store.objects.companies.records[3]!.id;
    const w = await api(emu.url, `/crm/objects/2026-09/companies/${id}`, { method: "PATCH", body: { properties: { hs_additional_domains: "a.example;b.example" } } });
    expect(w.status).toBe(200);
    expect(w.body.properties.hs_additional_domains).toBe("a.example;b.example");
    const generated = emu.store.objects.companies.records.filter((c) => c.props.hs_v2_date_entered_current_stage && c.props.hs_annual_revenue_currency_code === "USD");
    expect(generated.length).toBe(emu.store.objects.companies.records.length);
  });
});
