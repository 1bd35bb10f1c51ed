// Contact sync against the emulator: the account-sync harness (real app, real database, the
// emulator over HTTP, a background worker) plus helpers for contacts on both sides.
import { PRIVATE_APP_TOKEN } from "../../emulator/index.ts";
import type { Dialect } from "../../src/db/database.ts";
import { HubSpotHarness, type HubSpotHarnessOptions, type RunErrorJson, type RunJson } from "../support/hubspot.ts";
import type { TestWorkspace } from "../support/app.ts";

export interface ContactJson {
  id: string;
  name: string;
  firstName: string | null;
  lastName: string | null;
  emails: string[];
  phones: string[];
  customerId: string | null;
  tags: string[];
  externalId: string | null;
  externalUrl: string | null;
  lastSyncedAt: string | null;
  fieldChangedAt: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface ContactSyncJson {
  mode: "off" | "inbound" | "two_way";
  source: { kind: "synced_companies" } | { kind: "list"; listId: string };
  lifecycleStages: string[];
  mapping: { firstName: string | null; lastName: string | null; email: string | null; phone: string | null };
  paused: boolean;
  maxWritesPerRun: number;
  needsConfirmation: boolean;
  previewedAt: string | null;
  confirmedAt: string | null;
  sourceError: null | { code: string; listId: string };
  activeRun: RunJson | null;
  lastRun: RunJson | null;
}

export interface PreviewJson {
  crm: { create: number; update: number };
  local: { create: number; update: number; link: number };
  skipped: number;
  errors: Record<string, number>;
  sample: { action: string; contactId: string | null; crmId: string | null; name: string; changes: Record<string, string | null> }[];
  stoppedBy: null | { code: string; message: string };
}

export type Props = Record<string, string>;

export class ContactHarness {
  private constructor(readonly h: HubSpotHarness) {}

  static async start(dialect: Dialect = "sqlite", options: HubSpotHarnessOptions = {}): Promise<ContactHarness> {
    const h = await HubSpotHarness.start(dialect, options);
    await h.connect();
    return new ContactHarness(h);
  }

  get ws(): TestWorkspace {
    return this.h.ws;
  }

  close(): Promise<void> {
    return this.h.close();
  }

  // ---- crmsync --------------------------------------------------------------------------------

  settings(ws: TestWorkspace = this.ws): Promise<ContactSyncJson> {
    return this.h.ok<ContactSyncJson>("GET", "/api/v1/crm/hubspot/contact-sync", undefined, ws.adminToken);
  }

  /** PUTs settings and waits for the run it may start. */
  async configure(body: Record<string, unknown>, ws: TestWorkspace = this.ws): Promise<ContactSyncJson> {
    const view = await this.h.ok<ContactSyncJson>("PUT", "/api/v1/crm/hubspot/contact-sync", body, ws.adminToken);
    await this.h.drain();
    return view;
  }

  /** "Run now", waits for the worker; returns the newest run of that kind. */
  async runNow(ws: TestWorkspace = this.ws): Promise<RunJson> {
    const { kind } = await this.h.ok<{ kind: string }>("POST", "/api/v1/crm/hubspot/contact-sync/run", undefined, ws.adminToken);
    await this.h.drain();
    return this.h.latestRun(ws, kind);
  }

  async preview(ws: TestWorkspace = this.ws): Promise<PreviewJson> {
    return this.h.ok<PreviewJson>("POST", "/api/v1/crm/hubspot/contact-sync/preview", undefined, ws.adminToken);
  }

  /** Confirms, waits for the first reconcile, returns it. */
  async confirm(ws: TestWorkspace = this.ws): Promise<RunJson> {
    await this.h.ok("POST", "/api/v1/crm/hubspot/contact-sync/confirm", undefined, ws.adminToken);
    await this.h.drain();
    return this.h.latestRun(ws, "reconcile");
  }

  /** Two-way on a list, previewed and confirmed; returns the first reconcile. */
  async twoWay(listId: string, extra: Record<string, unknown> = {}): Promise<RunJson> {
    await this.configure({ mode: "two_way", source: { kind: "list", listId }, lifecycleStages: [], ...extra });
    await this.preview();
    return this.confirm();
  }

  errors(run: RunJson): Promise<RunErrorJson[]> {
    return this.h.runErrors(run.id);
  }

  async contacts(query = "", ws: TestWorkspace = this.ws): Promise<ContactJson[]> {
    const out: ContactJson[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: ContactJson[]; nextCursor: string | null } = await this.h.ok("GET", `/api/v1/contacts?limit=200${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, undefined, ws.adminToken);
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  async contactByExternalId(crmId: string): Promise<ContactJson | undefined> {
    return (await this.contacts(`&externalId=${crmId}`))[0];
  }

  async contactByEmail(email: string): Promise<ContactJson | undefined> {
    return (await this.contacts(`&q=${encodeURIComponent(email)}`)).find((c) => c.emails.includes(email));
  }

  createContact(body: Record<string, unknown>, ws: TestWorkspace = this.ws): Promise<ContactJson> {
    return this.h.ok<ContactJson>("POST", "/api/v1/contacts", body, ws.adminToken);
  }

  patchContact(id: string, body: Record<string, unknown>): Promise<ContactJson> {
    return this.h.ok<ContactJson>("PATCH", `/api/v1/contacts/${id}`, body);
  }

  // ---- HubSpot, as its users change it --------------------------------------------------------

  async addContact(properties: Props, companyId?: string): Promise<string> {
    return (await this.h.control<{ id: string }>("POST", "/objects/contacts", { properties, ...(companyId ? { companyId } : {}) })).id;
  }

  async createList(name: string, memberIds: string[]): Promise<string> {
    const list = await this.h.control<{ listId?: string; list?: { listId: string } }>("POST", "/lists", { name, objectType: "contacts", memberIds });
    return String(list.listId ?? list.list?.listId);
  }

  async addMembers(listId: string, ids: string[]): Promise<void> {
    await this.h.control("PUT", `/lists/${listId}/members`, { add: ids });
  }

  async patchRemote(id: string, properties: Props): Promise<void> {
    await this.h.control("PATCH", `/objects/contacts/${id}`, { properties });
  }

  async remote(id: string): Promise<{ id: string; properties: Record<string, string | null>; archived?: boolean }> {
    return this.h.control("GET", `/objects/contacts/${id}`);
  }

  /** A HubSpot API call with the private-app token (counted like crmsync's). */
  async hubspot(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.h.emu.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${PRIVATE_APP_TOKEN}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  liveContactCount(): number {
    return this.h.emu.store.objects.contacts.liveCount();
  }
}

let counter = 0;
/** An email no other test uses. */
export function uniqueEmail(label: string): string {
  return `${label}-${++counter}-${process.pid}@example.com`;
}
