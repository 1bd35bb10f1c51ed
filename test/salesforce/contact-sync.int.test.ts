// Two-way contact sync with Salesforce, on both databases: a Contact list view as the source,
// contacts imported, local edits written back through sObject Collections, and an org
// validation rule refusing one contact's update as that contact's run error.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects } from "../support/databases.ts";
import type { RunErrorJson, RunJson } from "../support/hubspot.ts";
import { SalesforceHarness } from "../support/salesforce.ts";

interface ContactJson {
  id: string;
  name: string;
  emails: string[];
  externalId: string | null;
}

describe.each(dialects)("Salesforce contact sync on %s", (dialect) => {
  let h: SalesforceHarness;

  beforeAll(async () => {
    h = await SalesforceHarness.start(dialect, { accounts: 20, opportunities: 0, contacts: 0, seed: 3 });
    await h.connect(h.t.a);
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  const ws = () => h.t.a;
  const run = async (path: string, body?: unknown): Promise<RunJson> => {
    const answer = await h.ok<{ kind?: string } | null>("POST", `/api/v1/crm/salesforce/contact-sync/${path}`, body, ws());
    await h.background.worker.drain();
    const kind = answer?.kind ?? "reconcile";
    const [latest] = (await h.ok<{ items: RunJson[] }>("GET", `/api/v1/sync-runs?kind=${kind}&limit=1`, undefined, ws())).items;
    return latest!;
  };
  const contactOf = async (crmId: string): Promise<ContactJson> => (await h.ok<{ items: ContactJson[] }>("GET", `/api/v1/contacts?externalId=${crmId}`, undefined, ws())).items[0]!;

  it("imports a list view's contacts and writes local edits back; a validation rule refuses one, the others are written", async () => {
    const people = ["Avery", "Blake", "Casey"];
    const remote: string[] = [];
    for (const name of people) {
      const rec = await h.control<{ Id: string }>("POST", "/records/Contact", { fields: { FirstName: name, LastName: "Original", Email: `${name.toLowerCase()}@example.com`, MailingCountry: "Norway" } });
      remote.push(rec.Id);
    }
    const view = await h.control<{ id: string }>("POST", "/list-views", { label: "Norway contacts", where: "MailingCountry = 'Norway'" });
    const lists = await h.ok<{ items: { id: string; name: string }[] }>("GET", "/api/v1/crm/salesforce/contact-lists?query=norway", undefined, ws());
    expect(lists.items.map((l) => l.id)).toEqual([view.id]);

    // Salesforce contacts have no lifecycle stage: the stage filter is emptied.
    // Salesforce Contacts have no lifecycle stage: by default no stage filter, so everyone is imported.
    expect(await h.ok("GET", "/api/v1/crm/salesforce/contact-sync", undefined, ws())).toMatchObject({ lifecycleStages: [] });
    await h.ok("PUT", "/api/v1/crm/salesforce/contact-sync", { mode: "two_way", source: { kind: "list", listId: view.id } }, ws());
    await h.background.worker.drain();
    await h.ok("POST", "/api/v1/crm/salesforce/contact-sync/preview", undefined, ws());
    const first = await run("confirm");
    expect(first.status).toBe("succeeded");
    const locals = await Promise.all(remote.map(contactOf));
    expect(locals.map((c) => c.name)).toEqual(people.map((p) => `${p} Original`));

    await h.control("PUT", "/validation-rules/Contact", { rules: [{ name: "Not_lowercase", condition: "LastName = 'lowercase'", message: "Last name must start with a capital letter", field: "LastName" }] });
    await h.ok("PATCH", `/api/v1/contacts/${locals[0]!.id}`, { lastName: "Ashford" }, ws());
    await h.ok("PATCH", `/api/v1/contacts/${locals[1]!.id}`, { lastName: "lowercase" }, ws());
    await h.ok("PATCH", `/api/v1/contacts/${locals[2]!.id}`, { lastName: "Carver" }, ws());
    const second = await run("run");
    expect(second.status).toBe("partial");
    expect(second.crmCalls.byEndpoint["composite.update"]).toBe(1);
    const errors = (await h.ok<{ items: RunErrorJson[] }>("GET", `/api/v1/sync-runs/${second.id}/errors`, undefined, ws())).items;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: "crm_validation_failed", recordId: locals[1]!.id, crmId: remote[1] });
    expect(errors[0]!.message).toContain("Last name must start with a capital letter");

    const lastName = (id: string) => h.emu.store.get("Contact", id)!.values["LastName"];
    expect([lastName(remote[0]!), lastName(remote[1]!), lastName(remote[2]!)]).toEqual(["Ashford", "Original", "Carver"]);
  }, 60_000);
});
