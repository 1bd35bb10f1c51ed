// The contact-sync form's state: the saved settings as editable text, back to the PUT body, and
// what must be fixed before saving. Pure, so the form component only wires inputs to it.
import type { ContactFieldMapping, ContactSyncInput, ContactSyncMode, ContactSyncSettings } from "../../api/types.ts";

export type MappingKey = keyof ContactFieldMapping;
export const mappingKeys: readonly MappingKey[] = ["firstName", "lastName", "email", "phone"];

export interface ContactSyncDraft {
  mode: ContactSyncMode;
  sourceKind: "synced_companies" | "list";
  listId: string;
  lifecycleStages: string[];
  /** Empty text: the field is not synced. */
  mapping: Record<MappingKey, string>;
  maxWritesPerRun: number | string;
}

export const maxWritesLimit = 1_000_000;

export function toDraft(settings: ContactSyncSettings, accountSyncOn: boolean): ContactSyncDraft {
  // Synced companies is only on offer while account sync is on; a list is the other choice.
  const sourceKind = settings.source.kind === "synced_companies" && !accountSyncOn ? "list" : settings.source.kind;
  return {
    mode: settings.mode,
    sourceKind,
    listId: settings.source.kind === "list" ? settings.source.listId : "",
    lifecycleStages: settings.lifecycleStages,
    mapping: {
      firstName: settings.mapping.firstName ?? "",
      lastName: settings.mapping.lastName ?? "",
      email: settings.mapping.email ?? "",
      phone: settings.mapping.phone ?? "",
    },
    maxWritesPerRun: settings.maxWritesPerRun,
  };
}

export type DraftErrors = Partial<Record<"listId" | "maxWritesPerRun", string>>;

/** listName: what the CRM's list is called (HubSpot list). */
export function validate(draft: ContactSyncDraft, listName: string): DraftErrors {
  const errors: DraftErrors = {};
  if (draft.mode !== "off" && draft.sourceKind === "list" && draft.listId.trim() === "") errors.listId = `Choose the ${listName} whose members to sync.`;
  const cap = Number(draft.maxWritesPerRun);
  if (!Number.isInteger(cap) || cap < 1 || cap > maxWritesLimit) errors.maxWritesPerRun = `A whole number from 1 to ${maxWritesLimit.toLocaleString("en-US")}.`;
  return errors;
}

/** Handles are optional, but without either a contact not yet linked cannot be matched or imported. */
export function handleWarning(draft: ContactSyncDraft): string | null {
  if (draft.mapping.email.trim() !== "" || draft.mapping.phone.trim() !== "") return null;
  return "With neither email nor phone mapped, contacts not linked yet have no handle: they are skipped (contact_missing_handle) instead of matched or created.";
}

export function toInput(draft: ContactSyncDraft): ContactSyncInput {
  const property = (text: string) => (text.trim() === "" ? null : text.trim());
  const input: ContactSyncInput = {
    mode: draft.mode,
    lifecycleStages: draft.lifecycleStages,
    mapping: {
      firstName: property(draft.mapping.firstName),
      lastName: property(draft.mapping.lastName),
      email: property(draft.mapping.email),
      phone: property(draft.mapping.phone),
    },
    maxWritesPerRun: Number(draft.maxWritesPerRun),
  };
  // With contact sync off an unfinished list id is kept out rather than refused.
  if (draft.sourceKind === "synced_companies") input.source = { kind: "synced_companies" };
  else if (draft.listId.trim() !== "") input.source = { kind: "list", listId: draft.listId.trim() };
  return input;
}

export function sameDraft(a: ContactSyncDraft, b: ContactSyncDraft): boolean {
  return JSON.stringify(toInput(a)) === JSON.stringify(toInput(b)) && a.sourceKind === b.sourceKind && a.listId.trim() === b.listId.trim();
}
