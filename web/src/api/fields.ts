import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, withQuery } from "./client.ts";
import { keys } from "./keys.ts";
import type { CustomField, FieldOption, FieldType } from "./types.ts";

export function useFields(entity: "customer" | "contact" = "customer") {
  return useQuery({
    queryKey: keys.fields(entity),
    queryFn: async () => (await api.get<{ items: CustomField[] }>(withQuery("/api/v1/custom-fields", { entity }))).items,
  });
}

export interface NewFieldInput {
  label: string;
  type: FieldType;
  options?: FieldOption[];
}

export function useCreateField() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: NewFieldInput) => api.post<CustomField>("/api/v1/custom-fields", input),
    onSuccess: () => client.invalidateQueries({ queryKey: ["custom-fields"] }),
  });
}

export function useDeleteField() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (field: CustomField) => api.delete(`/api/v1/custom-fields/${encodeURIComponent(field.id)}`),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ["custom-fields"] });
      // The field's values and any filter or chart on it are gone as well.
      await client.invalidateQueries({ queryKey: keys.customers });
      await client.invalidateQueries({ queryKey: ["insights"] });
      // Any CRM's importable list marks the field as imported.
      await client.invalidateQueries({ predicate: (query) => query.queryKey[0] === keys.crm[0] && query.queryKey[2] === "importable-fields" });
    },
  });
}

/** Support action: the field stays with its values and becomes editable; the CRM no longer writes it. */
export function useRemoveSyncMapping() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (field: CustomField) => api.delete<CustomField>(`/api/v1/custom-fields/${encodeURIComponent(field.id)}/sync-mapping`),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ["custom-fields"] });
      await client.invalidateQueries({ queryKey: keys.customers });
      await client.invalidateQueries({ predicate: (query) => query.queryKey[0] === keys.crm[0] && query.queryKey[2] === "importable-fields" });
    },
  });
}
