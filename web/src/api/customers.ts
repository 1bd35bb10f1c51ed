import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client.ts";
import { keys } from "./keys.ts";
import type { Customer, FieldValue, Page } from "./types.ts";

/** `query` is the list's query string as the API takes it (filters, sort, cursor, q). */
export function useCustomerList(query: string) {
  return useQuery({
    queryKey: keys.customerList(query),
    queryFn: () => api.get<Page<Customer>>(`/api/v1/customers${query ? `?${query}` : ""}`),
    placeholderData: keepPreviousData,
  });
}

export function useCustomer(id: string) {
  return useQuery({ queryKey: keys.customer(id), queryFn: () => api.get<Customer>(`/api/v1/customers/${encodeURIComponent(id)}`) });
}

export interface CustomerInput {
  name?: string;
  domains?: string[];
  fields?: Record<string, FieldValue>;
}

/** Puts a customer the server returned into every cache that shows it, so the change is visible at once. */
export function useStoreCustomer() {
  const client = useQueryClient();
  return (customer: Customer) => {
    client.setQueryData(keys.customer(customer.id), customer);
    client.setQueriesData<Page<Customer>>({ queryKey: [...keys.customers, "list"] }, (page) =>
      page ? { ...page, items: page.items.map((c) => (c.id === customer.id ? customer : c)) } : page,
    );
  };
}

export function useCreateCustomer() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CustomerInput & { name: string }) => api.post<Customer>("/api/v1/customers", input),
    onSuccess: async (customer) => {
      client.setQueryData(keys.customer(customer.id), customer);
      await client.invalidateQueries({ queryKey: [...keys.customers, "list"] });
    },
  });
}

export function useUpdateCustomer(id: string) {
  const client = useQueryClient();
  const store = useStoreCustomer();
  return useMutation({
    mutationFn: (input: CustomerInput) => api.patch<Customer>(`/api/v1/customers/${encodeURIComponent(id)}`, input),
    onSuccess: async (customer) => {
      store(customer);
      await client.invalidateQueries({ queryKey: ["insights"] });
    },
  });
}

export function useDeleteCustomer() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/v1/customers/${encodeURIComponent(id)}`),
    onSuccess: async (_void, id) => {
      client.removeQueries({ queryKey: keys.customer(id) });
      await client.invalidateQueries({ queryKey: [...keys.customers, "list"] });
    },
  });
}
