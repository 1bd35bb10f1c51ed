// How customers' CRM links and synced values are shown. The link names the workspace's CRM
// (the provider is the connection's, not stored per link). After the CRM revoked a workspace's
// grant, links and synced values stay stored but are not shown (product spec §2) until it is
// connected again, with nothing to reconfigure. A manual disconnect keeps them visible as
// ordinary data.
import { listSyncedFields } from "../db/repositories/custom-fields.ts";
import type { ContactRecord } from "../db/repositories/contacts.ts";
import type { CrmLink, CustomerRecord } from "../db/repositories/customers.ts";
import type { AppContext } from "./context.ts";

/** The link with the record pages in the CRM, as the connector builds them (null without a known account). */
export type PresentedLink = CrmLink & { provider: string; companyUrl: string | null; dealUrl: string | null };
export type PresentedCustomer = Omit<CustomerRecord, "crmLink"> & { crmLink: PresentedLink | null };
export type CustomerView = (customer: CustomerRecord) => PresentedCustomer;

export async function customerView(ctx: AppContext, workspaceId: string): Promise<CustomerView> {
  const { provider: crm, connection } = await ctx.crm.workspaceCrm(workspaceId);
  const provider = crm.id;
  const accountId = connection?.portal_id ?? null;
  const present = (link: CrmLink): PresentedLink => ({
    provider,
    ...link,
    companyUrl: crm.recordUrl(accountId, "company", link.companyId),
    dealUrl: link.dealId === null ? null : crm.recordUrl(accountId, "deal", link.dealId),
  });
  const shown: CustomerView = (customer) => ({ ...customer, crmLink: customer.crmLink ? present(customer.crmLink) : null });
  if (connection?.status !== "disconnected" || connection.disconnect_cause !== "revoked") return shown;
  const synced = new Set((await listSyncedFields(ctx.db, workspaceId, provider)).map((f) => f.key));
  return (customer) => ({
    ...customer,
    fields: Object.fromEntries(Object.entries(customer.fields).filter(([key]) => !synced.has(key))),
    crmLink: null,
    linkStatus: { state: "not_checked" },
  });
}

export type PresentedContact = ContactRecord & { externalUrl: string | null };

/** Contacts with the page of their CRM record, as the workspace's connector builds it. */
export async function contactView(ctx: AppContext, workspaceId: string): Promise<(contact: ContactRecord) => PresentedContact> {
  const { provider: crm, connection } = await ctx.crm.workspaceCrm(workspaceId);
  const accountId = connection?.portal_id ?? null;
  return (contact) => ({ ...contact, externalUrl: contact.externalId === null ? null : crm.recordUrl(accountId, "contact", contact.externalId) });
}
