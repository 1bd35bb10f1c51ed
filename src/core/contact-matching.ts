// Which crmsync contact a CRM contact is (product spec §4.3), as a pure decision over lookups
// the engine answers from the database (and from what it already did earlier in the same page).
//
// Order: (0) a CRM contact whose crmsync record was merged away by hand is never brought back;
// (1) the external id; then, for a contact not linked yet, (2) it needs an email or a phone,
// (3) the lifecycle-stage filter (first import only), (4) a shared handle when handles are
// mapped: the email, then the CRM's additional emails, then the phone; (5) otherwise a new contact.
//
// Additional emails (the CRM's other addresses of the person: addresses the person also uses, and the
// emails of records merged into this one) find a crmsync contact that knows the person only by
// such an address, which would otherwise be duplicated. They only ever link an unlinked contact:
// one already linked elsewhere is that other CRM record's person, and this one is matched on.
//
// A phone is a weaker identity than an email (a switchboard, a shared family line): a CRM contact
// whose own email matches nobody, but whose phone belongs to a contact already linked elsewhere,
// is a different person who claims the same phone. It is imported without the phone and the
// clash is logged `phone_taken`, rather than being skipped as `contact_already_linked`.
import type { CountryCode } from "libphonenumber-js";
import { isValidEmail, normalizeEmail, tryNormalizePhone } from "./handles.ts";

export interface CrmContactFacts {
  id: string;
  /** Normalised, valid email or null (absent or invalid). */
  email: string | null;
  /** E.164 or null (absent or unreadable). */
  phone: string | null;
  lifecycleStage: string | null;
  /** Other emails of the CRM contact, normalised and valid, the primary one left out. */
  additionalEmails?: readonly string[];
}

/** The little a match needs to know about a crmsync contact. */
export interface ContactRef {
  id: string;
  externalId: string | null;
}

export interface MatchLookups {
  byExternalId(crmId: string): ContactRef | undefined;
  byEmail(email: string): ContactRef | undefined;
  byPhone(phone: string): ContactRef | undefined;
  mergedAway(crmId: string): boolean;
}

export interface MatchOptions {
  /** Handles mapped to contact fields: only mapped handles are matched on and written. */
  emailHandle: boolean;
  phoneHandle: boolean;
  /** Stages brought in at first import; empty brings every stage. Compared ignoring case. */
  lifecycleStages: readonly string[];
}

export type MatchDecision =
  | { kind: "update"; contactId: string }
  | { kind: "link"; contactId: string; via: "email" | "phone" }
  | { kind: "create" }
  | { kind: "skip"; reason: "merged_away" | "lifecycle_stage" }
  | { kind: "error"; code: "contact_missing_handle" }
  | { kind: "error"; code: "contact_already_linked"; contactId: string; linkedTo: string; via: "email" | "phone" };

export const defaultLifecycleStages = ["customer", "subscriber"] as const;

export function stageAllowed(stage: string | null, stages: readonly string[]): boolean {
  if (stages.length === 0) return true;
  if (stage === null || stage.trim() === "") return false;
  const wanted = stage.trim().toLowerCase();
  return stages.some((s) => s.trim().toLowerCase() === wanted);
}

export function matchCrmContact(crm: CrmContactFacts, lookups: MatchLookups, options: MatchOptions): MatchDecision {
  if (lookups.mergedAway(crm.id)) return { kind: "skip", reason: "merged_away" };
  const linked = lookups.byExternalId(crm.id);
  if (linked) return { kind: "update", contactId: linked.id };
  if (crm.email === null && crm.phone === null) return { kind: "error", code: "contact_missing_handle" };
  if (!stageAllowed(crm.lifecycleStage, options.lifecycleStages)) return { kind: "skip", reason: "lifecycle_stage" };

  const email = options.emailHandle && crm.email !== null ? crm.email : null;
  const phone = options.phoneHandle && crm.phone !== null ? crm.phone : null;
  if (email !== null) {
    const holder = lookups.byEmail(email);
    if (holder) {
      return holder.externalId === null
        ? { kind: "link", contactId: holder.id, via: "email" }
        : { kind: "error", code: "contact_already_linked", contactId: holder.id, linkedTo: holder.externalId, via: "email" };
    }
    for (const additional of crm.additionalEmails ?? []) {
      const other = lookups.byEmail(additional);
      if (other && other.externalId === null) return { kind: "link", contactId: other.id, via: "email" };
    }
  }
  if (phone !== null) {
    const holder = lookups.byPhone(phone);
    if (holder) {
      if (holder.externalId === null) return { kind: "link", contactId: holder.id, via: "phone" };
      // Its own email makes it someone else: created without the phone (handleClashes says so).
      if (email !== null) return { kind: "create" };
      return { kind: "error", code: "contact_already_linked", contactId: holder.id, linkedTo: holder.externalId, via: "phone" };
    }
  }
  return { kind: "create" };
}

export interface HandleClash {
  code: "email_taken" | "phone_taken";
  value: string;
  /** The crmsync contact that already holds the handle. */
  holderId: string;
}

/**
 * Handles of the CRM contact that another crmsync contact already holds: two CRM contacts may
 * not claim one email or phone. `targetId` is the contact being written (null when creating).
 * The write goes ahead without the clashing handles.
 */
export function handleClashes(crm: CrmContactFacts, targetId: string | null, lookups: Pick<MatchLookups, "byEmail" | "byPhone">, options: Pick<MatchOptions, "emailHandle" | "phoneHandle">): HandleClash[] {
  const clashes: HandleClash[] = [];
  if (options.emailHandle && crm.email !== null) {
    const holder = lookups.byEmail(crm.email);
    if (holder && holder.id !== targetId) clashes.push({ code: "email_taken", value: crm.email, holderId: holder.id });
  }
  if (options.phoneHandle && crm.phone !== null) {
    const holder = lookups.byPhone(crm.phone);
    if (holder && holder.id !== targetId) clashes.push({ code: "phone_taken", value: crm.phone, holderId: holder.id });
  }
  return clashes;
}

/** A CRM email as crmsync stores it, or null when absent or not a valid address. */
export function crmEmail(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined || raw.trim() === "") return null;
  return isValidEmail(raw) ? normalizeEmail(raw) : null;
}

/** HubSpot's `;`-separated additional emails as crmsync stores them: invalid ones, repeats and the primary dropped. */
export function crmAdditionalEmails(raw: readonly string[], primary: string | null): string[] {
  const out = new Set<string>();
  for (const part of raw) {
    const email = crmEmail(part);
    if (email !== null && email !== primary) out.add(email);
  }
  return [...out];
}

/**
 * A CRM phone in E.164, or null when absent or unreadable (CRM phones are free text). National
 * numbers ("(415) 555-0122") are read as numbers of `defaultCountry`, the workspace's setting.
 */
export function crmPhone(raw: string | null | undefined, defaultCountry?: CountryCode): string | null {
  if (raw === null || raw === undefined || raw.trim() === "") return null;
  return tryNormalizePhone(raw, defaultCountry);
}

/** The tag a lifecycle stage becomes (§4.2), so contacts can be filtered by stage. */
export const lifecycleTagPrefix = "lifecycle:";

export function lifecycleTag(stage: string | null): string | null {
  if (stage === null || stage.trim() === "") return null;
  return `${lifecycleTagPrefix}${stage.trim().toLowerCase()}`;
}

/** The contact's tags with its lifecycle tag replaced by the CRM's current stage; other tags kept. */
export function withLifecycleTag(tags: readonly string[], stage: string | null): string[] {
  const next = tags.filter((tag) => !tag.startsWith(lifecycleTagPrefix));
  const tag = lifecycleTag(stage);
  if (tag !== null) next.push(tag);
  return next.sort();
}

/**
 * A list with `primary` first: the CRM holds one email (one phone), crmsync several. The CRM's
 * value replaces the list's first item and the others stay; an absent value changes nothing
 * (an empty value never wipes a non-empty one). `stillListed`: other values the CRM holds for the
 * person (HubSpot's additional emails).
 */
export function withPrimary(list: readonly string[], primary: string | null, stillListed: readonly string[] = []): string[] {
  if (primary === null) return [...list];
  const rest = list.slice(1).filter((item) => item !== primary);
  // A replaced primary the CRM still lists for the person (an additional email) stays, second.
  const replaced = list[0];
  if (replaced !== undefined && replaced !== primary && stillListed.includes(replaced)) rest.unshift(replaced);
  return [primary, ...rest];
}
