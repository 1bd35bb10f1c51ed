// Contact sync through the real engine (runContactSync) with the workspace's real HubSpot session
// (crmsync's client, budget off against an unlimited emulator): an inbound run (`contacts`) or a
// two-way `reconcile`, full or incremental. The source is a HubSpot list holding every generated
// contact, the lifecycle filter is empty (every stage is imported) and the mapping is first and
// last name, email and phone. The source is wrapped to time the waits for the CRM and to count
// what it read and wrote, and the event loop's busy time and the CPU time are measured, as in the
// account-sync scenario.
//
// The set-up steps between runs (settings, confirming two-way, a night's edits in crmsync) run in
// the benchmark's process on the same database; edits in HubSpot go through the emulator's process.
import type { Kysely } from "kysely";
import { sql } from "kysely";
import { openDatabase } from "../../src/db/database.ts";
import { createContact, updateContact } from "../../src/db/repositories/contacts.ts";
import { countRunErrors, createRun, transitionRun } from "../../src/db/repositories/sync-runs.ts";
import type { Database, SyncRun } from "../../src/db/schema.ts";
import { requestFullContactSync, runContactSync } from "../../src/sync/contact-sync/run.ts";
import { defaultSettings, loadContactSyncSettings, saveContactSyncSettings } from "../../src/sync/contact-sync/settings.ts";
import type { ContactCheckpoint, ContactRunKind } from "../../src/sync/contact-sync/types.ts";
import { hubspotConnector } from "../../src/connectors/hubspot/connector.ts";
import { isWriteFailure, type ContactSourceAndWriter, type ContactWriteFailure, type CrmContact } from "../../src/sync/ports.ts";
import { openBenchContext, type BenchEnv } from "../lib/env.ts";
import { startMeter, startServerCpuMeter, timedCall, timedIterable, type WorkTimes } from "../lib/timing.ts";

const provider = hubspotConnector.id;

/**
 * The engine's search window starts this long before the previous pass began. In production it
 * is 5 minutes (HubSpot's search index lags behind writes); the benchmark runs a day's passes
 * minutes apart, so with 5 minutes the nightly reconcile would re-read the changes the
 * incremental scenario made minutes before, which a real nightly run (a day later) does not.
 * The emulator indexes at once (searchDelayMs 0), so no overlap is needed here.
 */
export const benchOverlapMs = 0;

/** Share of contacts changed on each side, and created in crmsync, before the incremental runs. */
export const contactChangeShare = 0.01;

export interface ContactSyncResult extends WorkTimes {
  kind: "contacts" | "reconcile";
  /** What the engine planned (its last checkpoint holds it). */
  mode: "full" | "incremental";
  status: string;
  message: string | null;
  /** Time from asking the CRM for a page or batch to having it. */
  crmWaitMs: number;
  /** What the source handed the engine: list member ids, contacts by id (with history apart), contacts from the change search. */
  read: { members: number; contacts: number; history: number; changed: number; emailLookups: number };
  /** Contacts written to HubSpot (batch create and update), and the ones HubSpot refused. */
  crmWrites: { created: number; updated: number; failed: number };
  runCounts: { read: number; created: number; updated: number; linked: number; skipped: number; failed: number; errors: number; crmCalls: number };
  errorsByCode: Record<string, number>;
  /** crmsync's contacts after the run, and how many of them are linked to a HubSpot contact. */
  contacts: { total: number; linked: number };
}

type Counted = Pick<ContactSyncResult, "read" | "crmWrites"> & { crmWaitMs: number };

function countedSource(source: ContactSourceAndWriter, counts: Counted): ContactSourceAndWriter {
  const { read, crmWrites } = counts;
  const writes = async (call: () => Promise<Array<CrmContact | ContactWriteFailure>>, kind: "created" | "updated") => {
    const results = await timedCall(counts, call);
    for (const result of results) {
      if (isWriteFailure(result)) crmWrites.failed++;
      else crmWrites[kind]++;
    }
    return results;
  };
  // Any method not listed here passes through untimed.
  return {
    ...source,
    contactPropertyNames: () => timedCall(counts, () => source.contactPropertyNames()),
    listExists: (listId) => timedCall(counts, () => source.listExists(listId)),
    listMembers: (listId, cursor) => timedIterable(source.listMembers(listId, cursor), counts, (page) => (read.members += page.records.length)),
    ...(source.listMembersByJoinTime
      ? { listMembersByJoinTime: (listId: string, cursor: string | null) => timedIterable(source.listMembersByJoinTime!(listId, cursor), counts, (page) => (read.members += page.members.length)) }
      : {}),
    contactIdsOfCompanies: (ids) => timedCall(counts, () => source.contactIdsOfCompanies(ids)),
    contactsModifiedSince: (o) => timedIterable(source.contactsModifiedSince(o), counts, (page) => (read.changed += page.length)),
    async getContacts(ids, properties, history) {
      const result = await timedCall(counts, () => source.getContacts(ids, properties, history));
      if (history && history.length > 0) read.history += result.records.length;
      else read.contacts += result.records.length;
      return result;
    },
    async findByEmails(emails, properties) {
      read.emailLookups += emails.length;
      return timedCall(counts, () => source.findByEmails(emails, properties));
    },
    createContacts: (inputs) => writes(() => source.createContacts(inputs), "created"),
    updateContacts: (inputs) => writes(() => source.updateContacts(inputs), "updated"),
  };
}

/** The mode the engine planned: in the run's last checkpoint, and named in its message. */
function plannedMode(run: SyncRun): "full" | "incremental" {
  const checkpoint = run.checkpoint ? (JSON.parse(run.checkpoint) as Partial<ContactCheckpoint>) : {};
  return checkpoint.mode ?? (/\(incremental\)/.test(run.message ?? "") ? "incremental" : "full");
}

export async function runContactSyncScenario(env: BenchEnv, options: { kind: "contacts" | "reconcile"; full: boolean }): Promise<ContactSyncResult> {
  const database = openDatabase(env.target, { poolSize: 5 });
  try {
    const db = database.db;
    const ctx = openBenchContext(database, env);
    const opened = await ctx.crm.open(env.workspaceId, provider);
    if (!opened) throw new Error("the bench workspace is not connected");
    const session = { source: opened.contactSource, takeCalls: opened.takeCalls };
    const settings = await loadContactSyncSettings(db, env.workspaceId, ctx.crm.provider("hubspot"));
    if (options.full) await requestFullContactSync(db, env.workspaceId, provider);
    const counts: Counted = { crmWaitMs: 0, read: { members: 0, contacts: 0, history: 0, changed: 0, emailLookups: 0 }, crmWrites: { created: 0, updated: 0, failed: 0 } };
    const serverCpu = await startServerCpuMeter(database);
    const meter = startMeter();
    const kind: ContactRunKind = options.kind;
    const created = await createRun(db, { workspaceId: env.workspaceId, provider, kind, trigger: "manual", triggeredBy: null });
    const run = await transitionRun(db, created.id, "running");
    const finished = await runContactSync({ db, source: countedSource(session.source, counts), provider, crmName: hubspotConnector.displayName, takeCalls: session.takeCalls, overlapMs: benchOverlapMs }, run, settings);
    const times = { ...meter.stop(), serverCpuMs: await serverCpu.stop() };

    const errors = await db.selectFrom("sync_errors").select(["code", (eb) => eb.fn.countAll<number | string>().as("n")]).where("run_id", "=", finished.id).groupBy("code").execute();
    const contacts = await sql<{ total: number | string; linked: number | string | null }>`
      SELECT COUNT(*) AS total, SUM(CASE WHEN external_id IS NOT NULL THEN 1 ELSE 0 END) AS linked
      FROM contacts WHERE workspace_id = ${env.workspaceId}`.execute(db);
    return {
      kind: options.kind,
      mode: plannedMode(finished),
      status: finished.status,
      message: finished.message,
      ...times,
      ...counts,
      runCounts: {
        read: finished.records_read,
        created: finished.records_created,
        updated: finished.records_updated,
        linked: finished.records_linked,
        skipped: finished.records_skipped,
        failed: finished.records_failed,
        errors: await countRunErrors(db, finished.id),
        crmCalls: finished.crm_calls,
      },
      errorsByCode: Object.fromEntries(errors.map((e) => [e.code, Number(e.n)])),
      contacts: { total: Number(contacts.rows[0]?.total ?? 0), linked: Number(contacts.rows[0]?.linked ?? 0) },
    };
  } finally {
    await database.close();
  }
}

// ---- set-up steps, in the benchmark's process -------------------------------------------------

/** Inbound contact sync from a HubSpot list, every lifecycle stage, first/last name + email + phone. */
export async function configureInbound(db: Kysely<Database>, workspaceId: string, listId: string): Promise<void> {
  await saveContactSyncSettings(db, workspaceId, provider, {
    ...defaultSettings(hubspotConnector.contactModel.defaultMapping),
    mode: "inbound",
    source: { kind: "list", listId },
    lifecycleStages: [],
    changedAt: new Date().toISOString(),
  });
}

/** Two-way, previewed and confirmed by an admin: what the settings hold before the first reconcile. */
export async function confirmTwoWay(db: Kysely<Database>, workspaceId: string): Promise<void> {
  const settings = await loadContactSyncSettings(db, workspaceId, { id: provider, displayName: hubspotConnector.displayName, defaultContactMapping: hubspotConnector.contactModel.defaultMapping });
  const now = new Date().toISOString();
  await saveContactSyncSettings(db, workspaceId, provider, { ...settings, mode: "two_way", changedAt: now, previewedAt: now, confirmedAt: now });
}

/**
 * A night's edits in crmsync: the last name of `share` of the linked contacts (in HubSpot-id
 * order, at `offset` within each stretch, as mutateContacts picks in HubSpot), and `created` new
 * contacts with an email HubSpot does not hold. Through the repository, as the API writes them.
 */
export async function editLocalContacts(
  db: Kysely<Database>,
  workspaceId: string,
  options: { share: number; offset: number; created: number },
): Promise<{ changed: number; created: number }> {
  const linked = await db
    .selectFrom("contacts")
    .select(["id", "last_name"])
    .where("workspace_id", "=", workspaceId)
    .where("external_id", "is not", null)
    .orderBy("external_id")
    .execute();
  const every = Math.max(1, Math.round(1 / options.share));
  let changed = 0;
  for (let i = Math.min(every - 1, Math.floor(every * options.offset)); i < linked.length; i += every) {
    const contact = linked[i]!;
    await updateContact(db, workspaceId, contact.id, { lastName: `${contact.last_name ?? "Contact"} (edited here ${changed})` });
    changed++;
  }
  for (let i = 0; i < options.created; i++) {
    await createContact(db, workspaceId, { firstName: "New", lastName: `Person ${i}`, emails: [`new-person-${i}@bench-new.example.com`] });
  }
  return { changed, created: options.created };
}
