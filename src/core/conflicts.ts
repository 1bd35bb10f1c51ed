// Two-way conflict rules (product spec §4.4), per field and pure.
//
// - Per field, the value changed most recently wins: the CRM property's own change time
//   (property history) against crmsync's per-field change time. Ties go to the CRM, the system
//   of record, so both sides still end equal.
// - An empty value never wipes a non-empty one: whichever side is empty takes the other's value.
// - No echo: a CRM value that is exactly what crmsync itself pushed, not changed since that push,
//   is not a CRM edit. Without this, the CRM's history time of crmsync's own write (later than the
//   crmsync edit it carried, and possibly ahead of crmsync's clock) would beat a newer crmsync edit.
//   Symmetrically, a crmsync value still equal to that push is not a crmsync edit.
// - A contact not changed in crmsync since the two sides were last in step (both times from
//   crmsync's own clock) has no crmsync edit to weigh: a differing CRM value is a CRM edit and wins
//   without reading the CRM's property history. Symmetrically, a CRM record not modified since
//   crmsync last took it in (the CRM's own modification time, as crmsync saw it then) has no CRM
//   edit to weigh: a differing crmsync value is a crmsync edit and wins.
// - Two records of one person found in both systems (same email): the older is canonical; the
//   newer only fills what the older lacks.

/** The contact fields two-way sync carries to and from CRM properties. */
export const syncedFields = ["firstName", "lastName", "email", "phone"] as const;
export type SyncedField = (typeof syncedFields)[number];

export type FieldValues = Partial<Record<SyncedField, string | null>>;

export interface FieldSide {
  /** Normalised value; null or blank is empty. */
  value: string | null;
  /** Epoch ms of the last change; null when unknown. */
  changedAt: number | null;
  /**
   * crmsync only filled this value in from a duplicate when the CRM merged two records: the CRM's
   * survivor already holds the merge's result, so whatever it holds wins, even a value that is
   * crmsync's own earlier write.
   */
  filledByCrmMerge?: boolean;
}

/** What crmsync last wrote to the CRM for one field, and the CRM's time of that write. */
export interface PushMemory {
  value: string;
  at: number;
}

export type FieldDecision = "equal" | "push" | "pull";

export function isEmpty(value: string | null | undefined): boolean {
  return value === null || value === undefined || value.trim() === "";
}

/** True when the CRM's value is crmsync's own last write, unchanged since. */
export function isEcho(remote: FieldSide, pushed: PushMemory | null | undefined): boolean {
  if (!pushed || isEmpty(remote.value) || remote.value !== pushed.value) return false;
  return remote.changedAt === null || remote.changedAt <= pushed.at;
}

export function decideField(local: FieldSide, remote: FieldSide, pushed?: PushMemory | null, localInStep = false, remoteInStep = false): FieldDecision {
  const localEmpty = isEmpty(local.value);
  const remoteEmpty = isEmpty(remote.value);
  if (localEmpty && remoteEmpty) return "equal";
  if (!localEmpty && !remoteEmpty && local.value === remote.value) return "equal";
  if (remoteEmpty) return "push";
  if (localEmpty) return "pull";
  if (local.filledByCrmMerge) return "pull";
  if (isEcho(remote, pushed)) return "push";
  if (localInStep) return "pull";
  if (remoteInStep) return "push";
  // crmsync still holds what it pushed and the CRM changed since: only the CRM was edited.
  if (pushed && local.value === pushed.value) return "pull";
  if (local.changedAt === null) return "pull";
  if (remote.changedAt === null) return "push";
  return remote.changedAt >= local.changedAt ? "pull" : "push";
}

/** True when the two values differ and both are non-empty: only then do change times matter. */
export function needsTimes(local: string | null | undefined, remote: string | null | undefined): boolean {
  return !isEmpty(local) && !isEmpty(remote) && local !== remote;
}

export interface ContactSides {
  local: Partial<Record<SyncedField, FieldSide>>;
  remote: Partial<Record<SyncedField, FieldSide>>;
  pushed?: Partial<Record<SyncedField, PushMemory>>;
  /** crmsync's record has not changed since the two sides were last in step. */
  localInStep?: boolean;
  /** The CRM's record has not changed since crmsync last took it in. */
  remoteInStep?: boolean;
}

export interface Resolution {
  /** Values crmsync takes from the CRM, with the CRM's change time. */
  pull: Partial<Record<SyncedField, { value: string; changedAt: number | null }>>;
  /** Values crmsync sends to the CRM. */
  push: Partial<Record<SyncedField, string>>;
}

/** Settles every field of one linked pair independently. */
export function resolveContact(fields: readonly SyncedField[], sides: ContactSides): Resolution {
  const out: Resolution = { pull: {}, push: {} };
  for (const field of fields) {
    const local = sides.local[field] ?? { value: null, changedAt: null };
    const remote = sides.remote[field] ?? { value: null, changedAt: null };
    const decision = decideField(local, remote, sides.pushed?.[field], sides.localInStep ?? false, sides.remoteInStep ?? false);
    if (decision === "pull" && remote.value !== null) out.pull[field] = { value: remote.value, changedAt: remote.changedAt };
    if (decision === "push" && local.value !== null) out.push[field] = local.value;
  }
  return out;
}

/**
 * Two records of one person met for the first time, one in each system: the older record's
 * values stand; the newer fills only what the older lacks. Returns what each side must take.
 */
export function mergeOnLink(
  fields: readonly SyncedField[],
  local: { values: FieldValues; createdAt: number },
  remote: { values: FieldValues; createdAt: number },
): Resolution {
  // A tie keeps the CRM's record canonical, as decideField does.
  const remoteCanonical = remote.createdAt <= local.createdAt;
  const out: Resolution = { pull: {}, push: {} };
  for (const field of fields) {
    const l = local.values[field] ?? null;
    const r = remote.values[field] ?? null;
    if (isEmpty(l) && isEmpty(r)) continue;
    if (!isEmpty(l) && !isEmpty(r) && l === r) continue;
    const canonical = remoteCanonical ? r : l;
    const value = isEmpty(canonical) ? (remoteCanonical ? l : r) : canonical;
    if (value === null) continue;
    if (value !== r) out.push[field] = value;
    if (value !== l) out.pull[field] = { value, changedAt: null };
  }
  return out;
}
