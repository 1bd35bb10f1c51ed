// Contact sync and notifications in a real browser, against the app and the HubSpot emulator
// over real HTTP with a background worker that notifies like the real one: configure inbound
// sync from Integrations and run it, see the synced contacts with their lifecycle tag and the
// "last synced" banner, follow the bell to a run with errors, go two-way through the preview and
// its confirmation, and read why two-way is refused on an OAuth grant without the write scope.
// Steps share one signed-in page and run in order.
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startBackground } from "../../src/sync/background.ts";
import { ensureWebBuild } from "../../web/scripts/build.ts";
import { HubSpotHarness } from "../support/hubspot.ts";
import { openBrowser, signIn, type TestBrowser } from "./browser.ts";

interface ContactJson {
  id: string;
  name: string;
  externalId: string | null;
  emails: string[];
}

describe("web UI: contact sync and notifications", () => {
  let h: HubSpotHarness;
  let url: string;
  let browser: TestBrowser;
  let page: Page;
  let listId: string;
  const remote: Record<string, string> = {};
  const pageErrors: string[] = [];

  const card = () => page.getByRole("region", { name: "Contact sync", exact: true });
  const form = () => card().getByRole("form", { name: "Contact sync settings" });
  const contactRow = (name: string) => page.getByRole("table", { name: "Contacts" }).getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
  const contactNames = () => page.getByRole("table", { name: "Contacts" }).locator("tbody tr td:first-child").allInnerTexts();
  const addContact = async (properties: Record<string, string>) => (await h.control<{ id: string }>("POST", "/objects/contacts", { properties })).id;
  const contacts = async (query = "") => (await h.ok<{ items: ContactJson[] }>("GET", `/api/v1/contacts?limit=200${query}`)).items;
  /** Mantine's segmented control hides its radios; the label is what a person clicks. */
  const chooseMode = (label: string) => form().getByText(label, { exact: true }).click();
  const bell = () => page.getByRole("button", { name: /^Notifications/ });

  beforeAll(async () => {
    await ensureWebBuild({ quiet: true });
    // The harness's worker does not notify; this one does, as `crmsync serve` wires it.
    h = await HubSpotHarness.start("sqlite", { worker: false });
    h.background = startBackground({ db: h.t.ctx.db, queue: h.t.ctx.queue, connections: h.t.ctx.crm, onRunFinished: h.t.ctx.notifyRunFinished, schedules: false, pollIntervalMs: 20 });
    await h.t.app.listen({ host: "127.0.0.1", port: 0 });
    url = `http://127.0.0.1:${(h.t.app.server.address() as AddressInfo).port}`;
    await h.connect();

    remote["ann"] = await addContact({ firstname: "Ann", lastname: "Lee", email: "ann@acme.test", phone: "+1 212 555 0101", lifecyclestage: "customer" });
    remote["sue"] = await addContact({ firstname: "Sue", lastname: "Scriber", email: "sue@acme.test", lifecyclestage: "subscriber" });
    remote["bob"] = await addContact({ firstname: "Bob", lastname: "Lead", email: "bob@acme.test", lifecyclestage: "lead" });
    // No email and no phone: skipped with contact_missing_handle, so the run ends with an error.
    remote["nohandle"] = await addContact({ firstname: "No", lastname: "Handle", lifecyclestage: "customer" });
    const list = await h.control<{ listId?: string; list?: { listId: string } }>("POST", "/lists", { name: "Customers list", objectType: "contacts", memberIds: Object.values(remote) });
    listId = String(list.listId ?? list.list?.listId);
    // More lists for the picker: another contact list, and a company list it must not offer.
    await h.control("POST", "/lists", { name: "Newsletter list", objectType: "contacts", memberIds: [remote["sue"]], processingType: "SNAPSHOT" });
    await h.control("POST", "/lists", { name: "Key accounts list", objectType: "companies", memberIds: [] });

    browser = await openBrowser();
    page = browser.page;
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await signIn(page, url, h.ws.adminEmail, h.t.password);
  }, 120_000);

  afterEach(async (context) => {
    if (context.task.result?.state === "fail" && page) {
      await page.screenshot({ fullPage: true, path: `test-results/e2e-contacts-${context.task.name.replace(/[^a-z0-9]+/gi, "-")}.png` }).catch(() => undefined);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it("configures inbound contact sync from a HubSpot list and runs it", async () => {
    await page.getByRole("link", { name: "Integrations" }).click();
    await form().waitFor();
    expect(await card().getByRole("button", { name: "Run now" }).isDisabled()).toBe(true);
    // HubSpot Sync is off, so only a list is offered as the source.
    expect(await form().getByRole("radio", { name: "Contacts of the synced companies" }).isDisabled()).toBe(true);
    await chooseMode("Inbound");
    await form().getByRole("button", { name: "Save settings" }).click();
    await form().getByText("Choose the HubSpot list whose members to sync.").waitFor();
    // The lists created in HubSpot are offered by name, with their size; a company list is not.
    const picker = form().getByRole("combobox", { name: "HubSpot list", exact: true });
    await picker.click();
    const listbox = page.getByRole("listbox", { name: "HubSpot list" });
    await listbox.getByRole("option", { name: /^Customers list/ }).waitFor();
    const optionTexts = async () => (await listbox.getByRole("option").allInnerTexts()).map((text) => text.replace(/\s+/g, " ").trim());
    expect(await optionTexts()).toEqual([`Customers list 4 contacts · static · id ${listId}`, expect.stringMatching(/^Newsletter list 1 contact · snapshot · id \d+$/)]);
    // Typing searches HubSpot by name.
    const searches = h.counters().endpoints["lists.search"] ?? 0;
    await picker.fill("newsl");
    await expect.poll(optionTexts).toEqual([expect.stringMatching(/^Newsletter list /)]);
    await expect.poll(() => h.counters().endpoints["lists.search"] ?? 0).toBeGreaterThan(searches);
    await picker.fill("nothing like it");
    await listbox.getByText("No contact list matches “nothing like it”.").waitFor();
    await picker.fill("customers");
    await listbox.getByRole("option", { name: /^Customers list/ }).click();
    expect(await picker.inputValue()).toBe("Customers list");
    await form().getByText(`4 contacts · static · id ${listId}`).waitFor();
    // Lifecycle stages default to customer and subscriber (leads are left out).
    expect(await form().getByLabel("Lifecycle stages to bring in").inputValue()).toBe("");
    expect(await form().locator(".mantine-Pill-label").allInnerTexts()).toEqual(["Customer", "Subscriber"]);
    // The mapping offers the portal's text properties by label and name; the defaults stay.
    const email = form().getByRole("combobox", { name: "HubSpot property for Email" });
    await expect.poll(() => email.inputValue()).toBe("Email (email)");
    expect(await form().getByRole("combobox", { name: "HubSpot property for First name" }).inputValue()).toBe("First Name (firstname)");
    await email.click();
    const emailOptions = page.getByRole("listbox", { name: "HubSpot property for Email" });
    await emailOptions.getByRole("option", { name: /^Job Title/ }).waitFor();
    // Not a text property: not offered for email.
    expect(await emailOptions.getByRole("option", { name: /^Lifecycle Stage/ }).count()).toBe(0);
    await page.keyboard.press("Escape");
    await form().getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Contact sync saved").waitFor();
    expect((await h.ok<{ source: unknown; mapping: Record<string, string | null> }>("GET", "/api/v1/crm/hubspot/contact-sync")).source).toEqual({ kind: "list", listId });
    await card().getByText("Inbound", { exact: true }).first().waitFor();
    await h.drain();

    const runs = card().getByRole("table", { name: "Contact sync runs" });
    await runs.getByText("Partly failed").waitFor({ timeout: 15_000 });
    expect(await runs.locator("tbody tr").first().innerText()).toContain("Sync turned on");
    const errors = card().getByLabel("Errors of the last run with errors");
    await errors.getByText("contact_missing_handle").waitFor();

    await card().getByRole("button", { name: "Run now" }).click();
    await page.getByText("Contact sync queued").waitFor();
    await h.drain();
    await expect.poll(() => runs.locator("tbody tr").count(), { timeout: 15_000 }).toBe(2);
    expect(await runs.locator("tbody tr").first().innerText()).toContain("Run now");
    const done = await h.latestRun(h.ws, "contacts");
    expect(done).toMatchObject({ kind: "contacts", trigger: "manual" });
  });

  it("shows the synced contacts with their lifecycle tag, the stage filter and the last-synced banner", async () => {
    await page.getByRole("link", { name: "Contacts" }).click();
    await page.getByRole("status", { name: "Last synced" }).getByText(/Last synced/).waitFor();
    await contactRow("Ann Lee").waitFor();
    expect((await contactNames()).sort()).toEqual(["Ann Lee", "Sue Scriber"]);
    const annStage = contactRow("Ann Lee").locator("[data-lifecycle-stage]");
    expect(await annStage.innerText()).toBe("Customer");

    await page.getByLabel("Lifecycle stage", { exact: true }).selectOption("subscriber");
    await page.waitForURL((u) => u.searchParams.get("tag") === "lifecycle:subscriber");
    await expect.poll(contactNames).toEqual(["Sue Scriber"]);
    await page.getByLabel("Lifecycle stage", { exact: true }).selectOption("");
    await expect.poll(async () => (await contactNames()).length).toBe(2);
    // The tag on a row filters by its stage as well.
    await annStage.click();
    await expect.poll(contactNames).toEqual(["Ann Lee"]);

    await contactRow("Ann Lee").getByRole("link", { name: "Ann Lee" }).click();
    await page.getByRole("status").filter({ hasText: "Synced with HubSpot" }).getByText(/Last synced/).waitFor();
    for (const field of ["First name", "Last name", "Display name", "Emails", "Phones"]) {
      await page.getByRole("link", { name: `Edit ${field} in HubSpot` }).waitFor();
    }
  });

  it("offers Edit in HubSpot only on the mapped fields", async () => {
    const ann = (await contacts(`&externalId=${remote["ann"]}`))[0]!;
    await page.getByRole("link", { name: "Integrations" }).click();
    const phone = form().getByRole("combobox", { name: "HubSpot property for Phone" });
    await expect.poll(() => phone.inputValue()).toBe("Phone Number (phone)");
    await form().getByRole("button", { name: "Clear HubSpot property for Phone" }).click();
    expect(await phone.inputValue()).toBe("");
    await form().getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Contact sync saved").first().waitFor();
    await h.drain();
    await page.goto(`${url}/contacts/${ann.id}`);
    await page.getByRole("link", { name: "Edit Emails in HubSpot" }).waitFor();
    expect(await page.getByRole("link", { name: "Edit Phones in HubSpot" }).count()).toBe(0);
    // Local-only tags stay editable; the lifecycle tag is there.
    await page.getByText("lifecycle:customer").waitFor();
  });

  it("shows runs with errors under the bell and opens one", async () => {
    await expect.poll(() => bell().getAttribute("aria-label"), { timeout: 35_000 }).toMatch(/^Notifications, \d+ unread$/);
    const unreadBefore = Number(/(\d+) unread/.exec((await bell().getAttribute("aria-label")) ?? "")?.[1]);
    await bell().click();
    const popover = page.getByRole("dialog", { name: "Notifications" });
    const item = popover.getByRole("link", { name: /^Open HubSpot contact sync finished with \d+ errors?$/ }).first();
    await item.waitFor();
    expect(await popover.getByText(/contact_missing_handle × \d+/).count()).toBeGreaterThan(0);
    await item.click();
    await page.waitForURL(/\/sync-activity\/[^/]+$/);
    await page.getByRole("heading", { name: "Contact sync run" }).waitFor();
    await page.getByRole("region", { name: "Run errors" }).locator('[data-error-code="contact_missing_handle"]').first().waitFor();
    await expect.poll(() => bell().getAttribute("aria-label")).toBe(unreadBefore > 1 ? `Notifications, ${unreadBefore - 1} unread` : "Notifications");

    await page.goto(`${url}/notifications`);
    const list = page.getByRole("list", { name: "Notifications" });
    await list.locator("li").first().waitFor();
    await page.getByRole("button", { name: "Mark all read" }).click();
    await expect.poll(() => bell().getAttribute("aria-label")).toBe("Notifications");
    expect(await list.locator('li[data-read="false"]').count()).toBe(0);
  });

  it("goes two-way only after a preview shows the counts and is confirmed", async () => {
    const local = await h.ok<ContactJson>("POST", "/api/v1/contacts", { firstName: "Lo", lastName: "Cal", emails: ["lo.cal@example.test"] });
    await page.getByRole("link", { name: "Integrations" }).click();
    await chooseMode("Two-way");
    await form().getByText("After saving, nothing is written to HubSpot until you preview the first reconcile and confirm it.").waitFor();
    await form().getByRole("button", { name: "Save settings" }).click();
    const confirmation = card().getByRole("region", { name: "Two-way sync is waiting for your confirmation" });
    await confirmation.waitFor();
    await card().getByText("Awaiting confirmation").waitFor();
    expect(await card().getByRole("button", { name: "Run now" }).isDisabled()).toBe(true);

    await confirmation.getByRole("button", { name: "Preview first reconcile" }).click();
    const preview = confirmation.getByRole("region", { name: "Reconcile preview" });
    await preview.waitFor({ timeout: 15_000 });
    const creates = Number((await preview.getByLabel(/^Contacts to create in HubSpot: \d+$/).getAttribute("aria-label"))?.split(": ")[1]);
    expect(creates).toBeGreaterThanOrEqual(1);
    const sample = preview.getByRole("table", { name: "Sample of the changes" });
    await sample.getByRole("row").filter({ hasText: "Create in HubSpot" }).filter({ hasText: "Lo Cal" }).waitFor();
    // A dry run: nothing reached HubSpot.
    expect((await contacts(`&q=lo.cal`))[0]?.externalId).toBeNull();

    await confirmation.getByRole("button", { name: "Confirm and start two-way sync" }).click();
    await page.getByText("Two-way contact sync confirmed").waitFor();
    await confirmation.waitFor({ state: "hidden" });
    await h.drain();
    await card().getByRole("table", { name: "Contact sync runs" }).locator("tbody tr").filter({ hasText: "Reconcile" }).waitFor({ timeout: 15_000 });
    const pushed = (await contacts(`&q=lo.cal`)).find((c) => c.id === local.id);
    expect(pushed?.externalId).toBeTruthy();
    expect(await card().getByRole("button", { name: "Run now" }).isEnabled()).toBe(true);
  });

  it("explains a missing contacts write scope when two-way is chosen on an OAuth connection", async () => {
    // The emulator approves at once, granting the read scopes only, and sends the browser to the
    // test app's public URL, which is not where it listens: the redirect is pointed there.
    const authorize = `${h.emu.url}/oauth/authorize**`;
    await page.route(authorize, async (route) => {
      const approved = await fetch(route.request().url(), { redirect: "manual" });
      await route.fulfill({ status: 302, headers: { location: (approved.headers.get("location") ?? "").replace("http://127.0.0.1:3000", url) } });
    });
    const connection = page.getByRole("region", { name: "HubSpot connection" });
    await connection.getByRole("button", { name: "Disconnect" }).click();
    await page.getByRole("dialog", { name: "Disconnect HubSpot?" }).getByRole("button", { name: "Disconnect" }).click();
    await connection.getByRole("button", { name: "Connect with HubSpot" }).click();
    await page.waitForURL(/connected=1/);
    await connection.getByText("Connected", { exact: true }).waitFor();
    await chooseMode("Inbound");
    await form().getByRole("button", { name: "Save settings" }).click();
    await card().getByText("Inbound", { exact: true }).first().waitFor();
    await chooseMode("Two-way");
    await form().getByRole("button", { name: "Save settings" }).click();
    const alert = form().getByRole("alert").filter({ hasText: "HubSpot did not grant crmsync write access to contacts" });
    await alert.getByText("crm.objects.contacts.write", { exact: true }).waitFor();
    expect(await alert.innerText()).toContain("Reconnect HubSpot and grant it");
    await page.unroute(authorize);
    expect(pageErrors).toEqual([]);
  });

  it("says so in the pickers when HubSpot's properties or lists cannot be read", async () => {
    await page.getByRole("link", { name: "Integrations" }).click();
    h.emu.store.faults.add({ endpoint: "properties.contacts.list", kind: "status", status: 503, count: 100 });
    await page.reload();
    const alert = form().getByRole("alert").filter({ hasText: "HubSpot's contact properties could not be loaded" });
    await alert.waitFor({ timeout: 20_000 });
    // The mapped names still show, and can still be saved.
    const email = form().getByRole("combobox", { name: "HubSpot property for Email" });
    expect(await email.inputValue()).toBe("email");
    h.emu.store.faults.clear();
    await alert.getByRole("button", { name: "Try again" }).click();
    await alert.waitFor({ state: "detached" });
    await expect.poll(() => email.inputValue()).toBe("Email (email)");

    // HubSpot access ends while the screen is open: the list picker says so at its next search.
    await h.t.ctx.crm.markRevoked(h.ws.id, "hubspot", "revoked while the screen was open");
    const picker = form().getByRole("combobox", { name: "HubSpot list", exact: true });
    expect(await picker.inputValue()).toBe("Customers list");
    await picker.fill("news");
    await form().getByText("HubSpot is not connected: connect it above to choose from its contact lists.").waitFor();
    expect(pageErrors).toEqual([]);
  });
});
