// Shared shapes of contact-sync runs: checkpoints, dependencies, the preview plan, and small
// value helpers the engine and the run entry points use.
import type { Kysely } from "kysely";
import type { SyncedField } from "../../core/conflicts.ts";
import type { SyncErrorCode } from "../../core/errors.ts";
import type { ContactRecord } from "../../db/repositories/contacts.ts";
import type { Database } from "../../db/schema.ts";
import type { ContactSourceAndWriter } from "../ports.ts";

export type ContactRunKind = "contacts" | "reconcile" | "push";
export type Phase = "check" | "source" | "changes" | "linked" | "local" | "create" | "done";

export interface ContactCheckpoint {
  kind: ContactRunKind;
  mode: "full" | "incremental";
  phase: Phase;
  cursor: string | null;
  passStartedAt: string;
  sinceMs: number | null;
  /** CRM records created or updated so far (the per-run cap). */
  writes: number;
  /** push: only contacts created at or after this time. */
  createdSince: string | null;
  /** A list read in join order: the last page read (its cursor and newest member), kept for the next pass. */
  memberTail?: MemberTail | null;
  /** The pass starts at memberTail's page, not yet checked to hold that member or an older one. */
  tailUnchecked?: boolean;
  /**
   * Members seen by any pass since this time count as in the source (the last full pass's start:
   * an incremental pass reads only the members who joined since). Absent: this pass's members.
   */
  memberSince?: string | null;
}

export interface MemberTail {
  listId: string;
  cursor: string | null;
  joinedAt: number;
  id: string;
}

export interface ContactSyncDeps {
  db: Kysely<Database>;
  source: ContactSourceAndWriter;
  provider: string;
  /** The CRM's display name ("HubSpot"), for the run's messages. */
  crmName: string;
  takeCalls: () => Record<string, number>;
  now?: () => Date;
  overlapMs?: number;
  fullPassEveryMs?: number;
  /** At most this many contacts per workspace (§4.1: 1,000,000). */
  contactLimit?: number;
  signal?: AbortSignal;
}

export const contactStateKeys = {
  fullRequested: "contacts.full_requested",
  lastFullAt: "contacts.last_full_at",
  watermarkMs: "contacts.watermark_ms",
  memberTail: "contacts.member_tail",
} as const;

export const defaultContactLimit = 1_000_000;
export const defaultOverlapMs = 5 * 60 * 1000;
export const defaultFullPassEveryMs = 7 * 24 * 3600 * 1000;

/** The run stops with this error recorded (crm_list_not_found, account_sync_failed, contact_limit_reached). */
export class ContactRunStopped extends Error {
  constructor(
    readonly code: SyncErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ContactRunStopped";
  }
}


export interface PreviewSample {
  action: "create_in_crm" | "update_in_crm" | "create_here" | "update_here" | "link";
  contactId: string | null;
  crmId: string | null;
  name: string;
  changes: Record<string, string | null>;
}

export interface PreviewPlan {
  crm: { create: number; update: number };
  local: { create: number; update: number; link: number };
  skipped: number;
  errors: Partial<Record<SyncErrorCode, number>>;
  sample: PreviewSample[];
}

export const fieldColumn: Record<SyncedField, "firstName" | "lastName" | "emails" | "phones"> = { firstName: "firstName", lastName: "lastName", email: "emails", phone: "phones" };

export function parseMs(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value === "") return null;
  const ms = /^-?\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

export function iso(ms: number | null, fallback: string): string {
  return ms === null ? fallback : new Date(ms).toISOString();
}

export function trimmed(value: string | null | undefined): string | null {
  const t = value?.trim() ?? "";
  return t === "" ? null : t;
}

/** First and last name for the CRM when crmsync only has a full name. */
export function splitName(contact: ContactRecord): { first: string | null; last: string | null } {
  if (contact.firstName !== null || contact.lastName !== null) return { first: contact.firstName, last: contact.lastName };
  const name = contact.name.trim();
  if (name === "") return { first: null, last: null };
  const space = name.indexOf(" ");
  return space < 0 ? { first: name, last: null } : { first: name.slice(0, space), last: name.slice(space + 1).trim() || null };
}
