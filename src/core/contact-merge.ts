// The rule for merging a duplicate contact into a survivor (product spec §4.4: an admin merges
// two contacts by hand, and two-way sync merges the newer of two same-email records into the
// older). The survivor is the record people already know, so its values are never replaced:
// the duplicate only contributes what the survivor lacks, and every handle it had, so no one
// who wrote from those addresses becomes a stranger.

/** The contact fields that carry a per-field change time. */
export const contactFields = ["name", "firstName", "lastName", "emails", "phones", "customerId", "tags"] as const;
export type ContactField = (typeof contactFields)[number];

type FieldValue = string | null | readonly string[];

/** Equal values of a contact field; lists in the same order. */
export function sameFieldValue(a: FieldValue, b: FieldValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => item === b[i]);
  return a === b;
}

/**
 * Whether a change of `field` from `before` to `after` moves its change time. For emails and
 * phones only the primary counts: it is the value a CRM holds and two-way sync weighs the change
 * time against, so adding a secondary address must not make an older primary look newer than a
 * CRM edit (nor, stamped oldest-possible by a CRM merge, older than a crmsync edit).
 */
export function movesChangeTime(field: ContactField, before: FieldValue, after: FieldValue): boolean {
  if ((field === "emails" || field === "phones") && Array.isArray(before) && Array.isArray(after)) return (before[0] ?? null) !== (after[0] ?? null);
  return !sameFieldValue(before, after);
}

export interface MergeableContact {
  name: string;
  firstName: string | null;
  lastName: string | null;
  emails: readonly string[];
  phones: readonly string[];
  customerId: string | null;
  tags: readonly string[];
  externalId: string | null;
  lastSyncedAt: string | null;
}

export interface MergeOutcome {
  merged: {
    name: string;
    firstName: string | null;
    lastName: string | null;
    emails: string[];
    phones: string[];
    customerId: string | null;
    tags: string[];
    externalId: string | null;
    lastSyncedAt: string | null;
  };
  /** Survivor fields the merge changed (movesChangeTime); their change times move to the merge time. */
  changed: ContactField[];
  /**
   * The duplicate's CRM id when it does not live on in the survivor: a later import of that
   * CRM record must not recreate the duplicate.
   */
  droppedExternalId: string | null;
}

const isEmpty = (value: string | null): boolean => value === null || value.trim() === "";

function fill(survivor: string | null, duplicate: string | null): string | null {
  return isEmpty(survivor) && !isEmpty(duplicate) ? duplicate : survivor;
}

/** The survivor's items first, in their order, then the duplicate's items it lacks. */
function union(survivor: readonly string[], duplicate: readonly string[]): string[] {
  const result = [...survivor];
  const seen = new Set(survivor);
  for (const item of duplicate) {
    if (seen.has(item)) continue;
    seen.add(item);
    result.push(item);
  }
  return result;
}

export function mergeContacts(survivor: MergeableContact, duplicate: MergeableContact): MergeOutcome {
  const takesExternalId = survivor.externalId === null && duplicate.externalId !== null;
  const merged: MergeOutcome["merged"] = {
    name: fill(survivor.name, duplicate.name) ?? "",
    firstName: fill(survivor.firstName, duplicate.firstName),
    lastName: fill(survivor.lastName, duplicate.lastName),
    emails: union(survivor.emails, duplicate.emails),
    phones: union(survivor.phones, duplicate.phones),
    customerId: survivor.customerId ?? duplicate.customerId,
    tags: union(survivor.tags, duplicate.tags),
    externalId: takesExternalId ? duplicate.externalId : survivor.externalId,
    // The sync time belongs to the link: it moves with the external id.
    lastSyncedAt: takesExternalId ? duplicate.lastSyncedAt : survivor.lastSyncedAt,
  };
  const changed = contactFields.filter((field) => movesChangeTime(field, survivor[field], merged[field]));
  const droppedExternalId = duplicate.externalId !== null && !takesExternalId && duplicate.externalId !== survivor.externalId ? duplicate.externalId : null;
  return { merged, changed, droppedExternalId };
}
