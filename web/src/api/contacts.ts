import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client.ts";
import { keys } from "./keys.ts";
import type { Contact, Page } from "./types.ts";

export function useContactList(query: string) {
  return useQuery({
    queryKey: keys.contactList(query),
    queryFn: () => api.get<Page<Contact>>(`/api/v1/contacts${query ? `?${query}` : ""}`),
    placeholderData: keepPreviousData,
  });
}

export function useContact(id: string) {
  return useQuery({ queryKey: keys.contact(id), queryFn: () => api.get<Contact>(`/api/v1/contacts/${encodeURIComponent(id)}`) });
}

export interface ContactInput {
  name?: string;
  firstName?: string | null;
  lastName?: string | null;
  emails?: string[];
  phones?: string[];
  tags?: string[];
  customerId?: string | null;
}

export function useCreateContact() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ContactInput) => api.post<Contact>("/api/v1/contacts", input),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.contacts }),
  });
}

export function useUpdateContact(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ContactInput) => api.patch<Contact>(`/api/v1/contacts/${encodeURIComponent(id)}`, input),
    onSuccess: async (contact) => {
      client.setQueryData(keys.contact(id), contact);
      await client.invalidateQueries({ queryKey: [...keys.contacts, "list"] });
    },
  });
}
