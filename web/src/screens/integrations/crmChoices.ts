// What the contact-sync pickers offer from the CRM: the lists and properties that fit, how a
// list is described, and what to say when the CRM cannot be asked. Pure, so the pickers only
// wire them to Mantine.
import { errorMessage, isApiError } from "../../api/client.ts";
import type { CrmContactList, CrmContactProperty } from "../../api/types.ts";
import { formatNumber } from "../../components/format.ts";
import type { MappingKey } from "./contactSyncDraft.ts";

/** What a picker says when the CRM's choices could not be loaded; `what` is e.g. "contact lists". */
export function choicesError(error: unknown, crmName: string, what: string): string {
  if (isApiError(error) && error.code === "crm_not_connected") return `${crmName} is not connected: connect it above to choose from its ${what}.`;
  return `${crmName}'s ${what} could not be loaded: ${errorMessage(error)}`;
}

const processingLabels: Record<string, string> = { MANUAL: "static", DYNAMIC: "active", SNAPSHOT: "snapshot" };

/** "1,204 contacts · static · id 42" */
export function listDetails(list: CrmContactList): string {
  const parts: string[] = [];
  if (list.size !== null) parts.push(`${formatNumber(list.size)} ${list.size === 1 ? "contact" : "contacts"}`);
  parts.push(processingLabels[list.processingType] ?? list.processingType.toLowerCase());
  parts.push(`id ${list.id}`);
  return parts.join(" · ");
}

const nameLike = new Set(["text", "textarea"]);
const phoneLike = new Set(["text", "phonenumber"]);

/**
 * Whether a property can fill a contact field: text for names and email, text or phone number
 * for phone. Numbers, dates, enumerations, files and calculations are left out.
 */
export function fitsField(key: MappingKey, property: CrmContactProperty): boolean {
  if (key === "phone") return (property.type === "string" || property.type === "phone_number") && phoneLike.has(property.fieldType);
  return property.type === "string" && nameLike.has(property.fieldType);
}

/** "First Name (firstname)": the label a person knows and the internal name that is saved. */
export function propertyLabel(property: CrmContactProperty): string {
  return property.label === property.name ? property.name : `${property.label} (${property.name})`;
}
