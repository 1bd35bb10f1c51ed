// "Link to <CRM>": searching the workspace's CRM for a company and its deals, and setting or
// removing a customer's link by hand.
import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { api, withQuery } from "./client.ts";
import { useCrmPath } from "./crm.ts";
import { keys } from "./keys.ts";
import type { CrmCompany, CrmDeal, Customer } from "./types.ts";

export function useCompanySearch(query: string, enabled: boolean) {
  const crm = useCrmPath();
  return useQuery({
    queryKey: keys.companies(crm.id, query),
    queryFn: async () => (await api.get<{ items: CrmCompany[] }>(withQuery(`${crm.base}/companies`, { query }))).items,
    enabled: enabled && crm.ready,
    staleTime: 30_000,
  });
}

export function useCompanyDeals(companyId: string | null) {
  const crm = useCrmPath();
  return useQuery({
    queryKey: keys.deals(crm.id, companyId ?? ""),
    queryFn: async () => (await api.get<{ items: CrmDeal[] }>(`${crm.base}/companies/${encodeURIComponent(companyId ?? "")}/deals`)).items,
    enabled: companyId !== null && crm.ready,
  });
}

/** The customer as the server answered, in its own cache entry and in every list page showing it. */
function storeCustomer(client: QueryClient, customer: Customer): void {
  client.setQueryData(keys.customer(customer.id), customer);
  client.setQueriesData<{ items: Customer[]; nextCursor: string | null }>({ queryKey: [...keys.customers, "list"] }, (page) =>
    page ? { ...page, items: page.items.map((c) => (c.id === customer.id ? customer : c)) } : page,
  );
}

export function useLinkCustomer(customerId: string) {
  const client = useQueryClient();
  return useMutation({
    /** dealId left out: the company's most recently created deal; null: no deal. */
    mutationFn: (input: { companyId: string; dealId?: string | null }) => api.put<Customer>(`/api/v1/customers/${encodeURIComponent(customerId)}/crm-link`, input),
    onSuccess: async (customer) => {
      storeCustomer(client, customer);
      await client.invalidateQueries({ queryKey: keys.runs });
    },
  });
}

export function useUnlinkCustomer(customerId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete<Customer>(`/api/v1/customers/${encodeURIComponent(customerId)}/crm-link`),
    onSuccess: (customer) => storeCustomer(client, customer),
  });
}
