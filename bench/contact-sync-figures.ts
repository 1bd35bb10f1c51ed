// CRM calls contact sync spends on 100,000 HubSpot contacts (a list holding all of them), counted
// by the emulator: a full inbound run, an incremental one with 1% changed, the first two-way
// reconcile, and a nightly reconcile with 1% changed on each side and 1% new in crmsync.
// Run: node --import tsx bench/contact-sync-figures.ts [contacts] [--inbound-only]   (about a few minutes)
// --inbound-only stops after the full inbound run (the local-write throughput figure).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { PRIVATE_APP_TOKEN, startEmulator } from "../emulator/index.ts";
import { provisionWorkspace } from "../src/accounts.ts";
import { generateSecretKey } from "../src/core/security.ts";
import { migrateToLatest, openDatabase } from "../src/db/database.ts";
import { createContact, updateContact, listContacts } from "../src/db/repositories/contacts.ts";
import { createRun, transitionRun } from "../src/db/repositories/sync-runs.ts";
import { runContactSync } from "../src/sync/contact-sync/run.ts";
import type { ContactRunKind } from "../src/sync/contact-sync/types.ts";
import { contactSession } from "../src/sync/contact-sync/session.ts";
import { defaultSettings, saveContactSyncSettings, type ContactSyncSettings } from "../src/sync/contact-sync/settings.ts";
import { HubSpotConnections } from "../src/sync/hubspot-connection.ts";

const args = process.argv.slice(2);
const inboundOnly = args.includes("--inbound-only");
const size = Number(args.find((a) => !a.startsWith("--")) ?? 100_000);
const emu = await startEmulator({ port: 0, seed: 7, contacts: size, companies: 0, deals: 0, lists: 0, rateLimits: false });
const dir = mkdtempSync(join(tmpdir(), "crmsync-contact-figures-"));
const { db, close } = openDatabase({ dialect: "sqlite", file: join(dir, "bench.db") });

try {
  await migrateToLatest(db);
  const { workspaceId } = await provisionWorkspace(db, { name: "bench", adminEmail: "admin@bench.test", adminName: "Admin", adminPassword: "correct horse battery" });
  const hubspot = new HubSpotConnections(db, generateSecretKey(), {
    baseUrl: emu.url,
    authorizeUrl: `${emu.url}/oauth/authorize`,
    clientId: undefined,
    clientSecret: undefined,
    redirectUri: "http://127.0.0.1/cb",
    budget: false,
    privateAppLimit: 190,
  });
  await hubspot.connectPrivateApp(workspaceId, PRIVATE_APP_TOKEN, null);
  const store = emu.store;
  const ids = store.objects.contacts.records.filter((r) => r.live).map((r) => r.id);
  const list = store.createList("all contacts", "contacts", ids);
  let settings: ContactSyncSettings = { ...defaultSettings, mode: "inbound", source: { kind: "list", listId: String(list.listId) }, lifecycleStages: [] };
  await saveContactSyncSettings(db, workspaceId, "hubspot", settings);

  const rows: { scenario: string; calls: number; byEndpoint: Record<string, number>; seconds: number; perSecond: number; run: string }[] = [];
  async function measure(scenario: string, kind: ContactRunKind): Promise<void> {
    store.counters.reset();
    const session = (await contactSession(hubspot, workspaceId))!;
    const started = performance.now();
    const run = await transitionRun(db, (await createRun(db, { workspaceId, kind, trigger: "manual" })).id, "running");
    const done = await runContactSync({ db, source: session.source, provider: "hubspot", takeCalls: session.takeCalls }, run, settings);
    const elapsed = (performance.now() - started) / 1000;
    const snap = store.counters.snapshot();
    const byEndpoint = Object.fromEntries(Object.entries(snap.endpoints).filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b)));
    rows.push({
      scenario,
      calls: snap.total,
      byEndpoint,
      seconds: Math.round(elapsed * 10) / 10,
      perSecond: Math.round(done.records_read / elapsed),
      run: `${done.status}; read ${done.records_read}, created ${done.records_created}, updated ${done.records_updated}, linked ${done.records_linked}, skipped ${done.records_skipped}; ${done.message ?? ""}`,
    });
    console.error(`${scenario}: ${snap.total} calls, ${elapsed.toFixed(1)} s, ${Math.round(done.records_read / elapsed)} contacts/s`, byEndpoint);
  }

  const changeRemote = (share: number, tag: string): void => {
    const step = Math.round(1 / share);
    for (let i = 0; i < ids.length; i += step) store.setProperties("contacts", ids[i]!, { firstname: `${tag}${i}` });
  };

  async function restOfScenarios(): Promise<void> {
    await new Promise((r) => setTimeout(r, 5));
    changeRemote(0.01, "Changed");
    await measure("incremental inbound, 1% changed in HubSpot", "contacts");

    settings = { ...settings, mode: "two_way", confirmedAt: new Date().toISOString(), maxWritesPerRun: 1_000_000 };
    await saveContactSyncSettings(db, workspaceId, "hubspot", settings);
    await db.insertInto("sync_state").values({ workspace_id: workspaceId, provider: "hubspot", key: "contacts.full_requested", value: "1", updated_at: new Date().toISOString() })
      .onConflict((oc) => oc.columns(["workspace_id", "provider", "key"]).doUpdateSet({ value: "1" })).execute();
    await measure("first two-way reconcile (full pass, nothing to write)", "reconcile");

    // A night's worth of changes: 1% edited in HubSpot, 1% edited in crmsync, 1% created in crmsync.
    changeRemote(0.01, "Remote");
    const linked = (await listContacts(db, workspaceId, { limit: 100, synced: true })).items;
    let edited = 0;
    for (let cursor: string | undefined, page = 0; edited < size / 100; page++) {
      const batch = await listContacts(db, workspaceId, { limit: 500, synced: true, sort: "createdAt", ...(cursor ? { cursor } : {}) });
      for (const contact of batch.items) {
        if (edited >= size / 100) break;
        if ((page * 500 + batch.items.indexOf(contact)) % 7 !== 3) continue;
        await updateContact(db, workspaceId, contact.id, { lastName: `Local${edited}` });
        edited++;
      }
      if (!batch.nextCursor) break;
      cursor = batch.nextCursor;
    }
    for (let i = 0; i < size / 100; i++) await createContact(db, workspaceId, { firstName: "New", lastName: `Person ${i}`, emails: [`new-${i}@bench-new.example.com`] });
    void linked;
    await measure("nightly reconcile: 1% changed in HubSpot, 1% changed and 1% new in crmsync", "reconcile");
  }

  await measure(`full inbound (${size.toLocaleString("en")} contacts)`, "contacts");
  if (!inboundOnly) await restOfScenarios();

  console.log(`\nContact sync CRM calls, ${size.toLocaleString("en")} HubSpot contacts in one list (emulator counters)\n`);
  console.log("| scenario | CRM calls | by endpoint | wall s | contacts read/s |");
  console.log("| --- | ---: | --- | ---: | ---: |");
  for (const r of rows) console.log(`| ${r.scenario} | ${r.calls.toLocaleString("en")} | ${Object.entries(r.byEndpoint).map(([k, n]) => `${k} ${n}`).join(", ")} | ${r.seconds} | ${r.perSecond.toLocaleString("en")} |`);
  console.log("");
  for (const r of rows) console.log(`- ${r.scenario}: ${r.run}`);
} finally {
  await close();
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
}
