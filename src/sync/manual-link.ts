// "Link to HubSpot" → Save & Sync (product spec §3.1): an admin sets a customer's company and,
// optionally, its deal. When account sync is on, the linked records' values are read and
// written before the request returns, recorded as a `link` run with the calls it spent.
import type { Kysely } from "kysely";
import { AppError, notFound } from "../core/errors.ts";
import { pickDeal } from "../core/linking.ts";
import { listSyncedFields } from "../db/repositories/custom-fields.ts";
import { addDealCompanies, upsertCompanies, upsertDeals } from "../db/repositories/crm-mirror.ts";
import { getCustomer, setCustomerLink } from "../db/repositories/customers.ts";
import { inTransaction } from "../db/repositories/field-values.ts";
import { addRunProgress, createRun, recordSyncErrors, transitionRun } from "../db/repositories/sync-runs.ts";
import { getSyncSettings } from "../db/repositories/sync-settings.ts";
import type { Database } from "../db/schema.ts";
import type { CrmSession } from "./account-sync-job.ts";
import { importedProperties } from "./account-sync.ts";
import { outcomeStatus } from "./run-state.ts";
import { syncValues } from "./value-sync.ts";

export interface ManualLinkInput {
  companyId: string;
  /** A deal id; null for no deal; undefined picks the company's most recently created deal. */
  dealId?: string | null | undefined;
}

export async function linkCustomerManually(
  db: Kysely<Database>,
  crm: { id: string; displayName: string },
  session: CrmSession | null,
  workspaceId: string,
  customerId: string,
  input: ManualLinkInput,
  userId: string | null,
  onRunFinished: (runId: string) => Promise<void> = () => Promise.resolve(),
) {
  if (!(await getCustomer(db, workspaceId, customerId))) throw notFound("Customer", customerId);
  const provider = crm.id;
  if (!session) throw new AppError("crm_not_connected", `Connect ${crm.displayName} before linking customers to it.`);
  const fields = await listSyncedFields(db, workspaceId, provider);
  const companyProperties = importedProperties(fields, "company");
  const dealProperties = importedProperties(fields, "deal");

  // Two calls: the company with its deal ids, then the deals.
  const found = await session.source.getCompanyWithDeals(input.companyId, companyProperties);
  if (!found) throw new AppError("not_found", `${crm.displayName} company ${input.companyId} was not found.`, { companyId: input.companyId });
  const { company } = found;
  const dealIds = typeof input.dealId === "string" ? [input.dealId] : input.dealId === null ? [] : found.dealIds;
  const deals = await session.source.getDeals(dealIds, dealProperties);
  if (typeof input.dealId === "string" && deals.length === 0) throw new AppError("not_found", `${crm.displayName} deal ${input.dealId} was not found.`, { dealId: input.dealId });
  const dealId = typeof input.dealId === "string" ? input.dealId : input.dealId === null ? null : pickDeal(deals.map((d) => ({ id: d.id, createdAt: d.createdAt ?? "" })));

  // The local writes commit together: one commit to wait for (each waits for the disk,
  // decision 0051), and a failure leaves no half-made link.
  const finishedRun = await inTransaction(db, async (trx) => {
    const seenAt = new Date().toISOString();
    await upsertCompanies(trx, workspaceId, provider, [company], seenAt);
    await upsertDeals(trx, workspaceId, provider, deals, seenAt);
    await addDealCompanies(trx, workspaceId, provider, deals.filter((d) => found.dealIds.includes(d.id)).map((d) => ({ companyId: company.id, dealId: d.id })));
    await setCustomerLink(trx, workspaceId, customerId, { companyId: company.id, dealId, source: "manual" });

    const settings = await getSyncSettings(trx, workspaceId, provider);
    if (!settings.accountSyncEnabled) return null;
    const run = await createRun(trx, { workspaceId, provider, kind: "link", trigger: "link", triggeredBy: userId });
    await transitionRun(trx, run.id, "running");
    const result = await syncValues(trx, workspaceId, provider, crm.displayName, fields, [{ id: customerId, companyId: company.id, dealId, source: "manual" }]);
    await recordSyncErrors(trx, result.errors.map((e) => ({ ...e, runId: run.id, workspaceId })));
    await addRunProgress(trx, run.id, { read: 1 + deals.length, linked: 1, updated: result.updated, crmCalls: session.takeCalls() });
    await transitionRun(trx, run.id, outcomeStatus(result.errors.length, false), { message: `Linked by hand to company ${company.id}` });
    return run.id;
  });
  if (finishedRun !== null) await onRunFinished(finishedRun);
  return (await getCustomer(db, workspaceId, customerId))!;
}
