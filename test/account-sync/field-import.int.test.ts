// Importing HubSpot properties as synced fields and keeping them read-only (product spec §3.3),
// against the emulator over HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRIVATE_APP_TOKEN } from "../../emulator/index.ts";
import { setSyncState } from "../../src/db/repositories/crm-mirror.ts";
import { stateKeys } from "../../src/sync/account-sync.ts";
import { HubSpotHarness, type CustomerJson, type FieldJson } from "../support/hubspot.ts";

interface Importable {
  name: string;
  label: string;
  hubspotType: string;
  fieldType: string;
  groupName: string | null;
  mappedType: string | null;
  supported: boolean;
  reason: string | null;
  alreadyImported: boolean;
}

const unsupportedText = "This field isn't supported and won't be imported.";

describe("account sync: field import and read-only synced fields", () => {
  let h: HubSpotHarness;
  let n = 0;
  const domain = (label: string) => `${label}-${++n}.com`;

  beforeAll(async () => {
    h = await HubSpotHarness.start("sqlite");
    await h.connect();
  });
  afterAll(async () => {
    await h?.close();
  });

  const importable = () => h.ok<{ company: Importable[]; deal: Importable[] }>("GET", "/api/v1/crm/hubspot/importable-fields");
  const byName = (list: Importable[], name: string): Importable => {
    const found = list.find((p) => p.name === name);
    if (!found) throw new Error(`${name} is not listed`);
    return found;
  };

  it("lists company and deal properties in two groups with their mapped types", async () => {
    const list = await importable();
    const company = (name: string) => byName(list.company, name);
    const deal = (name: string) => byName(list.deal, name);
    expect(company("annualrevenue")).toMatchObject({ label: "Annual Revenue", hubspotType: "number/number", mappedType: "number", supported: true, reason: null, alreadyImported: false });
    expect(company("name")).toMatchObject({ mappedType: "text", supported: true });
    expect(company("description")).toMatchObject({ hubspotType: "string/textarea", mappedType: "text" });
    expect(company("industry")).toMatchObject({ hubspotType: "enumeration/select", mappedType: "select" });
    expect(company("lifecyclestage")).toMatchObject({ hubspotType: "enumeration/radio", mappedType: "select" });
    expect(company("product_interests")).toMatchObject({ hubspotType: "enumeration/checkbox", mappedType: "multi_select" });
    expect(company("is_strategic")).toMatchObject({ hubspotType: "bool/booleancheckbox", mappedType: "select" });
    expect(company("contract_start")).toMatchObject({ hubspotType: "date/date", mappedType: "date" });
    expect(company("last_review_at")).toMatchObject({ hubspotType: "datetime/date", mappedType: "date" });
    expect(deal("amount")).toMatchObject({ mappedType: "number", supported: true });
    expect(deal("closedate")).toMatchObject({ mappedType: "date" });
    expect(deal("pipeline")).toMatchObject({ mappedType: "select" });
    // Each group is sorted by label, for the dialog.
    const labels = list.company.map((p) => p.label);
    expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b)));
    // Members may look, too.
    expect((await h.api("GET", "/api/v1/crm/hubspot/importable-fields", undefined, h.ws.memberToken)).status).toBe(200);
  });

  it("shows file, calculated, score, owner and deal-stage properties as not supported, with the reason", async () => {
    const list = await importable();
    const refused = [
      ...["contract_file", "arr_formula", "total_open_amount", "notes_read_time", "fit_score", "hubspot_owner_id", "account_manager", "num_associated_deals"].map((name) => byName(list.company, name)),
      ...["dealstage", "hs_is_closed", "hs_deal_stage_probability", "hubspot_owner_id", "contract_file"].map((name) => byName(list.deal, name)),
    ];
    for (const p of refused) expect(p, p.name).toMatchObject({ supported: false, mappedType: null, reason: unsupportedText });
    // Types outside the table are refused the same way.
    for (const name of ["contract_value", "support_phone", "profile_html", "hq_coordinates", "legacy_payload"]) {
      expect(byName(list.company, name), name).toMatchObject({ supported: false, reason: unsupportedText });
    }
    const res = await h.api<{ error: { code: string; message: string } }>("POST", "/api/v1/crm/hubspot/import-fields", {
      properties: [
        { object: "company", name: "annualrevenue" },
        { object: "deal", name: "dealstage" },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(unsupportedText);
    // All or nothing: the supported one was not imported either.
    expect((await h.fields()).map((f) => f.syncMapping?.property)).not.toContain("annualrevenue");
  });

  it("imports with the same label and type, marks them already imported, and refuses a second import", async () => {
    const fields = await h.importFields([
      { object: "company", name: "numberofemployees" },
      { object: "deal", name: "dealtype" },
    ]);
    expect(fields).toHaveLength(2);
    expect(fields[0]).toMatchObject({ label: "Number of Employees", type: "number", readOnly: true, syncMapping: { provider: "hubspot", object: "company", property: "numberofemployees" } });
    expect(fields[1]).toMatchObject({ label: "Deal Type", type: "select", options: [{ value: "newbusiness", label: "New Business" }, { value: "existingbusiness", label: "Existing Business" }] });

    const list = await importable();
    expect(byName(list.company, "numberofemployees").alreadyImported).toBe(true);
    expect(byName(list.deal, "dealtype").alreadyImported).toBe(true);
    expect(byName(list.company, "annualrevenue").alreadyImported).toBe(false);

    const again = await h.api<{ error: { code: string } }>("POST", "/api/v1/crm/hubspot/import-fields", { properties: [{ object: "company", name: "numberofemployees" }] });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("conflict");
    const member = await h.api("POST", "/api/v1/crm/hubspot/import-fields", { properties: [{ object: "company", name: "city" }] }, h.ws.memberToken);
    expect(member.status).toBe(403);
    expect((await h.fields()).filter((f) => f.syncMapping?.property === "numberofemployees")).toHaveLength(1);
  });

  it("importing with HubSpot Sync on starts an immediate full run that fills the new field", async () => {
    const d = domain("import-run");
    await h.addCompany({ name: "Import Run Co", domain: d, city: "Lisbon" });
    const c = await h.createCustomer("Import Run Co", [d]);
    await h.enableSync();
    await h.runSync();
    expect((await h.customer(c.id)).crmLink).not.toBeNull();
    const before = (await h.runs()).length;

    const [city] = await h.importFields([{ object: "company", name: "city" }]);
    await h.drain();
    const runs = await h.runs();
    expect(runs).toHaveLength(before + 1);
    const run = await h.latestRun();
    expect(run).toMatchObject({ trigger: "import", status: "succeeded" });
    expect(run.message).toMatch(/^Full/);
    expect(run.crmCalls.byEndpoint["companies.list"]).toBeGreaterThanOrEqual(1);
    expect((await h.customer(c.id)).fields[city!.key]).toBe("Lisbon");
  });

  it("copies options at import, does not refresh them in runs, and refreshes them on request", async () => {
    const [tier] = await h.importFields([{ object: "company", name: "customer_tier" }]);
    expect(tier!.options.map((o) => o.value)).toEqual(["bronze", "silver", "gold", "platinum"]);
    const d = domain("options");
    const companyId = await h.addCompany({ name: "Options Co", domain: d, customer_tier: "gold" });
    const c = await h.createCustomer("Options Co", [d]);
    await h.runSync();
    expect((await h.customer(c.id)).fields[tier!.key]).toBe("gold");

    // A HubSpot admin renames the property, relabels an option and adds one.
    const patch = await fetch(`${h.emu.url}/crm/v3/properties/companies/customer_tier`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${PRIVATE_APP_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({
        label: "Customer tier (2025)",
        options: [
          { value: "bronze", label: "Bronze" },
          { value: "silver", label: "Silver" },
          { value: "gold", label: "Gold+" },
          { value: "platinum", label: "Platinum" },
          { value: "diamond", label: "Diamond" },
        ],
      }),
    });
    expect(patch.status).toBe(200);
    await h.patchRecord("companies", companyId, { customer_tier: "diamond" });
    await h.setSync(false);
    const full = await h.enableSync();
    expect(full.message).toMatch(/^Full/);

    const unchanged = await h.ok<FieldJson>("GET", `/api/v1/custom-fields/${tier!.id}`);
    expect(unchanged.label).toBe("Customer tier");
    expect(unchanged.options).toEqual(tier!.options);
    // "diamond" is not one of the imported options: the value stays and the run says why.
    expect((await h.customer(c.id)).fields[tier!.key]).toBe("gold");
    const errors = await h.runErrors(full.id);
    expect(errors.find((e) => e.code === "value_not_convertible" && e.recordId === c.id)).toBeDefined();

    const member = await h.api("POST", `/api/v1/custom-fields/${tier!.id}/refresh-definition`, undefined, h.ws.memberToken);
    expect(member.status).toBe(403);
    const refreshed = await h.ok<FieldJson>("POST", `/api/v1/custom-fields/${tier!.id}/refresh-definition`);
    expect(refreshed.label).toBe("Customer tier (2025)");
    expect(refreshed.options).toEqual([
      { value: "bronze", label: "Bronze" },
      { value: "silver", label: "Silver" },
      { value: "gold", label: "Gold+" },
      { value: "platinum", label: "Platinum" },
      { value: "diamond", label: "Diamond" },
    ]);
    expect(refreshed.key).toBe(tier!.key);
    // With the option known, the value HubSpot holds arrives by the next run at the latest,
    // although the company has not changed in HubSpot since: the next run comes half an hour
    // later, past the overlap in which incremental runs read a change again.
    await h.drain();
    await setSyncState(h.t.ctx.db, h.ws.id, "hubspot", stateKeys.watermarkMs, String(Date.now() + 30 * 60_000));
    await h.runSync();
    expect((await h.customer(c.id)).fields[tier!.key]).toBe("diamond");

    const plain = await h.ok<FieldJson>("POST", "/api/v1/custom-fields", { label: "Plain", type: "text" });
    const notSynced = await h.api("POST", `/api/v1/custom-fields/${plain.id}/refresh-definition`);
    expect(notSynced.status).toBe(400);
  });

  describe("read-only synced fields", () => {
    let revenue: FieldJson;
    let customer: CustomerJson;

    beforeAll(async () => {
      [revenue] = (await h.importFields([{ object: "company", name: "annualrevenue" }])) as [FieldJson];
      const d = domain("readonly");
      await h.addCompany({ name: "Read Only Co", domain: d, annualrevenue: "900" });
      customer = await h.createCustomer("Read Only Co", [d]);
      await h.setSync(true);
      await h.runSync();
      expect((await h.customer(customer.id)).fields[revenue.key]).toBe(900);
    });

    async function expectRefusedEverywhere() {
      const expectReadOnly = (res: { status: number; body: { error: { code: string; message: string } } }) => {
        expect(res.status).toBe(422);
        expect(res.body.error.code).toBe("field_read_only");
        expect(res.body.error.message).toBe(`The field "${revenue.key}" is synced from HubSpot and cannot be edited here.`);
      };
      type E = { error: { code: string; message: string } };
      expectReadOnly(await h.api<E>("POST", "/api/v1/customers", { name: "New", fields: { [revenue.key]: 1 } }));
      expectReadOnly(await h.api<E>("PATCH", `/api/v1/customers/${customer.id}`, { fields: { [revenue.key]: 1 } }));
      expectReadOnly(await h.api<E>("PATCH", `/api/v1/customers/${customer.id}`, { fields: { [revenue.key]: null } }));
      expectReadOnly(await h.api<E>("PATCH", `/api/v1/customers/${customer.id}`, { fields: { [revenue.key]: 1 } }, h.ws.memberToken));
      expectReadOnly(await h.api<E>("PATCH", `/api/v1/custom-fields/${revenue.id}`, { label: "Revenue" }));
      // Nothing was written.
      expect((await h.customer(customer.id)).fields[revenue.key]).toBe(900);
      expect((await h.ok<FieldJson>("GET", `/api/v1/custom-fields/${revenue.id}`)).label).toBe(revenue.label);
      expect((await h.ok<{ items: CustomerJson[] }>("GET", "/api/v1/customers?q=New")).items).toEqual([]);
    }

    it("refuses every write while sync is on", async () => {
      await expectRefusedEverywhere();
    });

    it("refuses every write while sync is off as well", async () => {
      await h.setSync(false);
      try {
        await expectRefusedEverywhere();
      } finally {
        await h.setSync(true);
        await h.drain();
      }
    });

    it("removing only the mapping makes the field editable and keeps its last value", async () => {
      // Imported by an earlier test, or here.
      const existing = (await h.fields()).find((f) => f.syncMapping?.property === "numberofemployees");
      const employees = existing ?? (await h.importFields([{ object: "company", name: "numberofemployees" }]))[0]!;
      const d = domain("unmap");
      const companyId = await h.addCompany({ name: "Unmap Co", domain: d, numberofemployees: "12" });
      const c = await h.createCustomer("Unmap Co", [d]);
      await h.drain();
      await h.runSync();
      expect((await h.customer(c.id)).fields[employees.key]).toBe(12);

      expect((await h.api("DELETE", `/api/v1/custom-fields/${employees.id}/sync-mapping`, undefined, h.ws.memberToken)).status).toBe(403);
      const unmapped = await h.ok<FieldJson>("DELETE", `/api/v1/custom-fields/${employees.id}/sync-mapping`);
      expect(unmapped).toMatchObject({ readOnly: false, syncMapping: null });
      const field = await h.ok<FieldJson>("GET", `/api/v1/custom-fields/${employees.id}`);
      expect(field).toMatchObject({ readOnly: false, syncMapping: null });
      expect((await h.customer(c.id)).fields[employees.key]).toBe(12);
      const edited = await h.ok<CustomerJson>("PATCH", `/api/v1/customers/${c.id}`, { fields: { [employees.key]: 15 } });
      expect(edited.fields[employees.key]).toBe(15);
      // HubSpot no longer owns it: a change there does not overwrite the edit.
      await h.patchRecord("companies", companyId, { numberofemployees: "99" });
      await h.runSync();
      expect((await h.customer(c.id)).fields[employees.key]).toBe(15);
    });

    it("deleting a synced field removes the field, its values and its mapping", async () => {
      const res = await h.api("DELETE", `/api/v1/custom-fields/${revenue.id}`);
      expect(res.status).toBe(204);
      expect((await h.api("GET", `/api/v1/custom-fields/${revenue.id}`)).status).toBe(404);
      expect((await h.customer(customer.id)).fields).not.toHaveProperty(revenue.key);
      const rows = await h.t.ctx.db.selectFrom("field_values").select("entity_id").where("field_id", "=", revenue.id).execute();
      expect(rows).toEqual([]);
      expect(byName((await importable()).company, "annualrevenue").alreadyImported).toBe(false);
      // Runs do not bring it back.
      await h.runSync();
      expect((await h.fields()).map((f) => f.syncMapping?.property)).not.toContain("annualrevenue");
      expect((await h.customer(customer.id)).fields).not.toHaveProperty(revenue.key);
    });
  });
});
