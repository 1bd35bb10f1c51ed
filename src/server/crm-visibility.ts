// How customers' CRM links and synced values are shown. The link names the workspace's CRM
// (the provider is the connection's, not stored per link). After the CRM revoked a workspace's
// grant, links and synced values stay stored but are not shown (product spec §2) until it is
// connected again, with nothing to reconfigure. A manual disconnect keeps them visible as
// ordinary data.
import { getConnection } from "../db/repositories/connections.ts";
import { listSyncedFields } from "../db/repositories/custom-fields.ts";
import type { CrmLink, CustomerRecord } from "../db/repositories/customers.ts";
import type { AppContext } from "./context.ts";

export type PresentedCustomer = Omit<CustomerRecord, "crmLink"> & { crmLink: (CrmLink & { provider: string }) | null };
export type CustomerView = (customer: CustomerRecord) => PresentedCustomer;

export async function customerView(ctx: AppContext, workspaceId: string): Promise<CustomerView> {
  const provider = ctx.provider.id;
  const shown: CustomerView = (customer) => ({ ...customer, crmLink: customer.crmLink ? { provider, ...customer.crmLink } : null });
  const connection = await getConnection(ctx.db, workspaceId, provider);
  if (connection?.status !== "disconnected" || connection.disconnect_cause !== "revoked") return shown;
  const synced = new Set((await listSyncedFields(ctx.db, workspaceId, provider)).map((f) => f.key));
  return (customer) => ({
    ...customer,
    fields: Object.fromEntries(Object.entries(customer.fields).filter(([key]) => !synced.has(key))),
    crmLink: null,
    linkStatus: { state: "not_checked" },
  });
}
