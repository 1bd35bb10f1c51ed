// Data the browser tests and the screenshots start from, written through the repositories the
// way the sync engine writes it: synced fields with values, links and unlinked reasons, runs
// with counters and errors, contacts with and without a HubSpot id.
import type { Kysely } from "kysely";
import { toStoredValue, type FieldValue } from "../../src/core/fields.ts";
import { createContact, linkExternalId } from "../../src/db/repositories/contacts.ts";
import { createField, createSyncedFields, type FieldRecord } from "../../src/db/repositories/custom-fields.ts";
import { recordLinkAttempts } from "../../src/db/repositories/customer-links.ts";
import { createCustomer, setCustomerLink } from "../../src/db/repositories/customers.ts";
import { writeSyncedValues } from "../../src/db/repositories/field-values.ts";
import { addRunProgress, createRun, recordSyncErrors, transitionRun } from "../../src/db/repositories/sync-runs.ts";
import type { Database } from "../../src/db/schema.ts";

export interface Seeded {
  fields: Record<string, FieldRecord>;
  customers: Record<string, string>;
  runs: { partial: string; succeeded: string };
  contacts: { synced: string; local: string };
}

async function syncedValues(db: Kysely<Database>, workspaceId: string, customerId: string, values: [FieldRecord, FieldValue][]): Promise<void> {
  await writeSyncedValues(db, workspaceId, customerId, new Map(values.map(([field, value]) => [field.id, toStoredValue(field, value)])));
}

export async function seedWorkspace(db: Kysely<Database>, workspaceId: string): Promise<Seeded> {
  const [industry, revenue, dealAmount] = (await createSyncedFields(db, workspaceId, [
    {
      label: "Industry",
      type: "select",
      options: [
        { value: "SOFTWARE", label: "Software" },
        { value: "RETAIL", label: "Retail" },
        { value: "MANUFACTURING", label: "Manufacturing" },
        { value: "HEALTHCARE", label: "Healthcare" },
      ],
      syncMapping: { provider: "hubspot", object: "company", property: "industry" },
      syncPropertyType: "enumeration/select",
    },
    { label: "Annual revenue", type: "number", syncMapping: { provider: "hubspot", object: "company", property: "annualrevenue" }, syncPropertyType: "number/number" },
    { label: "Deal amount", type: "number", syncMapping: { provider: "hubspot", object: "deal", property: "amount" }, syncPropertyType: "number/number" },
  ])) as [FieldRecord, FieldRecord, FieldRecord];
  const plan = await createField(db, workspaceId, {
    label: "Plan",
    type: "select",
    options: [
      { value: "starter", label: "Starter" },
      { value: "growth", label: "Growth" },
      { value: "enterprise", label: "Enterprise" },
    ],
  });
  const renewal = await createField(db, workspaceId, { label: "Renewal date", type: "date" });
  const priority = await createField(db, workspaceId, { label: "Priority support", type: "yes_no" });

  const acme = await createCustomer(db, workspaceId, { name: "Acme Corp", domains: ["acme.com"], fields: { plan: "enterprise", renewal_date: "2027-03-01", priority_support: true } });
  const globex = await createCustomer(db, workspaceId, { name: "Globex", domains: ["globex.com"], fields: { plan: "growth" } });
  const initech = await createCustomer(db, workspaceId, { name: "Initech", fields: { plan: "starter", priority_support: false } });
  const hooli = await createCustomer(db, workspaceId, { name: "Hooli", domains: ["hooli.xyz"], fields: { plan: "enterprise", renewal_date: "2026-12-15" } });
  const umbrella = await createCustomer(db, workspaceId, { name: "Umbrella Health", domains: ["umbrella-health.io"], fields: { plan: "growth" } });
  const stark = await createCustomer(db, workspaceId, { name: "Stark Retail", domains: ["stark-retail.com"], fields: { plan: "starter" } });

  await setCustomerLink(db, workspaceId, acme.id, { companyId: "9001", dealId: "7001", source: "auto" });
  await syncedValues(db, workspaceId, acme.id, [
    [industry, "SOFTWARE"],
    [revenue, 1_250_000],
    [dealAmount, 48_000],
  ]);
  await setCustomerLink(db, workspaceId, hooli.id, { companyId: "9004", dealId: null, source: "manual" });
  await syncedValues(db, workspaceId, hooli.id, [
    [industry, "SOFTWARE"],
    [revenue, 8_400_000],
  ]);
  await setCustomerLink(db, workspaceId, umbrella.id, { companyId: "9005", dealId: "7005", source: "auto" });
  await syncedValues(db, workspaceId, umbrella.id, [
    [industry, "HEALTHCARE"],
    [revenue, 640_000],
    [dealAmount, 12_500],
  ]);
  await setCustomerLink(db, workspaceId, stark.id, { companyId: "9006", dealId: null, source: "auto" });
  await syncedValues(db, workspaceId, stark.id, [
    [industry, "RETAIL"],
    [revenue, 310_000],
  ]);
  await recordLinkAttempts(
    db,
    workspaceId,
    [
      { customerId: globex.id, reason: "ambiguous", candidates: ["9002", "9003"] },
      { customerId: initech.id, reason: "no_domains", candidates: [] },
    ],
    new Date().toISOString(),
  );

  const succeeded = await createRun(db, { workspaceId, provider: "hubspot", kind: "accounts", trigger: "enable" });
  await transitionRun(db, succeeded.id, "running");
  await addRunProgress(db, succeeded.id, { read: 412, linked: 3, updated: 3, crmCalls: { "POST /crm/v3/objects/companies/search": 3, "GET /crm/v3/objects/companies": 5, "GET /crm/v3/objects/deals": 2 } });
  await transitionRun(db, succeeded.id, "succeeded");

  const partial = await createRun(db, { workspaceId, provider: "hubspot", kind: "accounts", trigger: "schedule" });
  await transitionRun(db, partial.id, "running");
  await addRunProgress(db, partial.id, { read: 37, linked: 1, updated: 6, skipped: 2, failed: 2, crmCalls: { "POST /crm/v3/objects/companies/search": 2, "POST /crm/v3/objects/deals/batch/read": 1 } });
  await recordSyncErrors(db, [
    { runId: partial.id, workspaceId, code: "company_match_ambiguous", crmName: "HubSpot", recordType: "customer", recordId: globex.id, details: { domain: "globex.com", candidates: ["9002", "9003"] } },
    { runId: partial.id, workspaceId, code: "value_not_convertible", recordType: "company", crmId: "9006", details: { property: "annualrevenue", value: "about 300k" } },
  ]);
  await transitionRun(db, partial.id, "partial");

  const synced = await createContact(db, workspaceId, { firstName: "Ada", lastName: "Lovelace", emails: ["ada@acme.com"], phones: ["+14155550101"], tags: ["customer", "vip"], customerId: acme.id });
  await linkExternalId(db, workspaceId, synced.id, "501");
  const local = await createContact(db, workspaceId, { firstName: "Grace", lastName: "Hopper", emails: ["grace@globex.com"], tags: ["subscriber"], customerId: globex.id });

  return {
    fields: { industry, revenue, dealAmount, plan, renewal, priority },
    customers: { acme: acme.id, globex: globex.id, initech: initech.id, hooli: hooli.id, umbrella: umbrella.id, stark: stark.id },
    runs: { partial: partial.id, succeeded: succeeded.id },
    contacts: { synced: synced.id, local: local.id },
  };
}
