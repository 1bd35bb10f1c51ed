// Takes a screenshot of every screen into docs/screenshots/ (`npm run screenshots`): the real
// app on a throwaway SQLite database, connected to the HubSpot emulator, with a few customers
// synced the way a user would set them up, driven by Debian's Chromium.
import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { Locator, Page } from "playwright-core";
import { createContact } from "../../src/db/repositories/contacts.ts";
import { startBackground } from "../../src/sync/background.ts";
import { openBrowser } from "../../test/e2e/browser.ts";
import { HubSpotHarness } from "../../test/support/hubspot.ts";
import { ensureWebBuild } from "./build.ts";

const outDir = fileURLToPath(new URL("../../docs/screenshots/", import.meta.url));

async function seed(h: HubSpotHarness): Promise<Record<string, string>> {
  const companies: [string, string, string, string, number][] = [
    ["Acme Corp", "acme.com", "COMPUTER_SOFTWARE", "1250000", 320],
    ["Umbrella Health", "umbrella-health.io", "HOSPITAL_HEALTH_CARE", "640000", 85],
    ["Stark Logistics", "stark-logistics.com", "LOGISTICS_AND_SUPPLY_CHAIN", "310000", 1200],
    ["Wayne Financial", "wayne-financial.com", "FINANCIAL_SERVICES", "8400000", 4100],
    ["Globex East", "globex.com", "INTERNET", "90000", 40],
    ["Globex West", "globex.com", "INTERNET", "120000", 55],
    ["Hooli", "hooli.xyz", "INTERNET", "5200000", 2300],
    ["Pied Piper", "piedpiper.com", "COMPUTER_SOFTWARE", "450000", 24],
  ];
  const ids: Record<string, string> = {};
  for (const [name, domain, industry, annualrevenue, employees] of companies) {
    ids[name] = await h.addCompany({ name, domain, industry, annualrevenue, numberofemployees: String(employees) });
  }
  await h.addDeal(ids["Acme Corp"]!, { dealname: "Acme — 2026 renewal", amount: "48000", createdate: "2026-01-10T00:00:00Z" });
  await h.addDeal(ids["Acme Corp"]!, { dealname: "Acme — expansion", amount: "12000", createdate: "2025-06-02T00:00:00Z" });
  await h.addDeal(ids["Umbrella Health"]!, { dealname: "Umbrella pilot", amount: "9500", createdate: "2026-02-01T00:00:00Z" });
  await h.addDeal(ids["Wayne Financial"]!, { dealname: "Wayne enterprise", amount: "180000", createdate: "2025-11-20T00:00:00Z" });
  await h.addDeal(ids["Hooli"]!, { dealname: "Hooli platform", amount: "76000", createdate: "2026-03-03T00:00:00Z" });

  await h.connect();
  await h.ok("POST", "/api/v1/custom-fields", { label: "Plan", type: "select", options: ["Starter", "Growth", "Enterprise"] });
  await h.ok("POST", "/api/v1/custom-fields", { label: "Renewal date", type: "date" });
  await h.ok("POST", "/api/v1/custom-fields", { label: "Seats", type: "number" });
  const customers: [string, string[], Record<string, unknown>][] = [
    ["Acme Corp", ["acme.com"], { plan: "Enterprise", renewal_date: "2027-03-01", seats: 250 }],
    ["Umbrella Health", ["umbrella-health.io"], { plan: "Growth", seats: 40 }],
    ["Stark Logistics", ["stark-logistics.com"], { plan: "Growth", renewal_date: "2026-09-30", seats: 120 }],
    ["Wayne Financial", ["wayne-financial.com", "wayne.finance"], { plan: "Enterprise", seats: 900 }],
    ["Globex", ["globex.com"], { plan: "Starter", seats: 12 }],
    ["Initech", [], { plan: "Starter", seats: 8 }],
    ["Hooli Inc", [], { plan: "Growth" }],
    ["Pied Piper", ["piedpiper.com"], { plan: "Starter", seats: 6 }],
  ];
  const customerIds: Record<string, string> = {};
  for (const [name, domains, fields] of customers) {
    customerIds[name] = (await h.ok<{ id: string }>("POST", "/api/v1/customers", { name, domains, fields })).id;
  }
  await h.enableSync();
  await h.importFields([
    { object: "company", name: "industry" },
    { object: "company", name: "annualrevenue" },
    { object: "company", name: "numberofemployees" },
    { object: "deal", name: "amount" },
  ]);
  await h.drain();

  // HubSpot contacts of the synced companies, which contact sync brings in once it is turned on
  // from the UI below: leads and opportunities stay out, and one without email or phone is
  // skipped with an error, so a notification arrives.
  const hubspotContacts: [string, Record<string, string>][] = [
    ["Acme Corp", { firstname: "Ada", lastname: "Lovelace", email: "ada@acme.com", phone: "+1 415 555 0101", lifecyclestage: "customer" }],
    ["Acme Corp", { firstname: "Charles", lastname: "Babbage", email: "charles@acme.com", lifecyclestage: "subscriber" }],
    ["Umbrella Health", { firstname: "Alice", lastname: "Ball", email: "alice@umbrella-health.io", lifecyclestage: "customer" }],
    ["Wayne Financial", { firstname: "Lucius", lastname: "Fox", email: "lucius@wayne-financial.com", phone: "+1 212 555 0177", lifecyclestage: "customer" }],
    ["Wayne Financial", { firstname: "Bruce", lastname: "Wayne", email: "bruce@wayne-financial.com", lifecyclestage: "lead" }],
    ["Stark Logistics", { firstname: "Margaret", lastname: "Hamilton", email: "margaret@stark-logistics.com", lifecyclestage: "customer" }],
    ["Hooli", { firstname: "Gavin", lastname: "Belson", email: "gavin@hooli.xyz", lifecyclestage: "opportunity" }],
    ["Pied Piper", { firstname: "Erlich", lastname: "Bachman", lifecyclestage: "customer" }],
  ];
  for (const [company, properties] of hubspotContacts) await h.control("POST", "/objects/contacts", { properties, companyId: ids[company] });

  const db = h.t.ctx.db;
  const ws = h.ws.id;
  await createContact(db, ws, { firstName: "Grace", lastName: "Hopper", emails: ["grace@globex.com"], tags: ["vip"], customerId: customerIds["Globex"]! });
  await createContact(db, ws, { firstName: "Linus", lastName: "Torvalds", emails: ["linus@piedpiper.com"], phones: ["+442079460958"] });
  return customerIds;
}

async function shoot(page: Page, name: string, options: { target?: Locator; keepNotifications?: boolean } = {}): Promise<void> {
  // A toast from an earlier step would cover the next screen's corner.
  if (!options.keepNotifications) {
    for (const close of await page.locator(".mantine-Notification-root button").all()) await close.click().catch(() => undefined);
  }
  // Let charts, transitions and the fonts settle before the picture.
  await page.waitForTimeout(400);
  const target = options.target;
  const path = `${outDir}${name}.png`;
  if (target) {
    // A section taller than the window would scroll under the fixed header: grow the window.
    const viewport = page.viewportSize();
    const box = await target.boundingBox();
    if (viewport && box && box.height + 120 > viewport.height) {
      await page.setViewportSize({ width: viewport.width, height: Math.ceil(box.height) + 160 });
      await page.waitForTimeout(200);
    }
    await target.screenshot({ path });
    if (viewport) await page.setViewportSize(viewport);
  } else {
    await page.screenshot({ path });
  }
  console.log(`  ${name}.png`);
}

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  await ensureWebBuild();
  // The harness's own worker does not notify; this one does, as `crmsync serve` wires it.
  const h = await HubSpotHarness.start("sqlite", { worker: false });
  h.background = startBackground({ db: h.t.ctx.db, queue: h.t.ctx.queue, connections: h.t.ctx.crm, onRunFinished: h.t.ctx.notifyRunFinished, schedules: false, pollIntervalMs: 20 });
  const browser = await openBrowser({ width: 1360, height: 860 });
  try {
    await h.t.app.listen({ host: "127.0.0.1", port: 0 });
    const url = `http://127.0.0.1:${(h.t.app.server.address() as AddressInfo).port}`;
    const ids = await seed(h);
    const page = browser.page;

    await page.goto(`${url}/login`);
    await page.getByLabel("Email").fill(h.ws.adminEmail);
    await shoot(page, "01-login");
    await page.getByRole("textbox", { name: "Password" }).fill(h.t.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    const customers = page.getByRole("table", { name: "Customers" });
    await customers.getByText("Acme Corp").waitFor();
    await page.mouse.move(0, 0);
    await shoot(page, "02-customers-overview");

    await page.goto(`${url}/customers?filter[annual_revenue][gte]=500000&sort=-field:annual_revenue`);
    await customers.waitFor();
    await shoot(page, "03-customers-filtered");

    await page.goto(`${url}/customers`);
    await customers.getByRole("button", { name: "Link Hooli Inc to HubSpot" }).click();
    const link = page.getByRole("dialog", { name: "Link to HubSpot" });
    await link.getByLabel("Search companies").fill("hooli");
    await link.getByRole("radio", { name: "Hooli" }).click();
    await link.getByLabel("Deal (optional)").locator("option", { hasText: "Hooli platform" }).waitFor({ state: "attached" });
    await shoot(page, "04-link-to-hubspot");
    await link.getByRole("button", { name: "Save & Sync" }).click();
    await link.getByRole("table", { name: "Synced values" }).waitFor();
    await shoot(page, "05-link-to-hubspot-saved", { keepNotifications: true });
    await link.getByRole("button", { name: "Done" }).click();

    await page.getByRole("tab", { name: "Custom Fields" }).click();
    await page.getByRole("table", { name: "Custom fields" }).waitFor();
    await page.mouse.move(0, 0);
    await shoot(page, "06-custom-fields");
    await page.getByRole("button", { name: "Actions for Seats" }).click();
    await page.getByRole("menuitem", { name: "Delete field" }).click();
    await page.getByRole("dialog", { name: "Delete field “Seats”?" }).waitFor();
    await shoot(page, "07-delete-field");
    await page.getByRole("dialog", { name: "Delete field “Seats”?" }).getByRole("button", { name: "Cancel" }).click();

    await page.getByRole("button", { name: "Import from CRM" }).click();
    const importDialog = page.getByRole("dialog", { name: "Import from HubSpot" });
    const companyGroup = importDialog.getByRole("region", { name: "Company fields" });
    await companyGroup.getByRole("checkbox", { name: "City", exact: true }).check();
    await companyGroup.getByRole("checkbox", { name: "Country/Region", exact: true }).check();
    await companyGroup.locator("[data-unsupported]").filter({ hasText: "Signed contract" }).scrollIntoViewIfNeeded();
    await companyGroup.locator("[data-unsupported]").filter({ hasText: "Signed contract" }).hover();
    await page.getByText("This field isn't supported and won't be imported.").first().waitFor();
    await shoot(page, "08-import-from-hubspot");
    await importDialog.getByRole("button", { name: "Cancel" }).click();

    await page.goto(`${url}/customers/${ids["Acme Corp"]}`);
    await page.locator('input[data-field="industry"]').hover();
    await page.getByText("This field is synced from HubSpot and cannot be edited here.").waitFor();
    await shoot(page, "09-customer-detail");

    // Contact sync, turned on from the UI: inbound, contacts of the synced companies.
    await page.getByRole("link", { name: "Integrations" }).click();
    const contactSync = page.getByRole("region", { name: "Contact sync", exact: true });
    const settings = contactSync.getByRole("form", { name: "Contact sync settings" });
    await settings.waitFor();
    await settings.getByText("Inbound", { exact: true }).click();
    await settings.getByRole("button", { name: "Save settings" }).click();
    await h.drain();
    await contactSync.getByRole("table", { name: "Contact sync runs" }).getByText("Partly failed").waitFor({ timeout: 15_000 });
    await page.mouse.move(0, 0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shoot(page, "12-integrations-hubspot");
    await shoot(page, "16-contact-sync-settings", { target: contactSync });

    await page.getByRole("link", { name: "Contacts" }).click();
    await page.getByRole("table", { name: "Contacts" }).getByText("Ada Lovelace").waitFor();
    await page.getByRole("status", { name: "Last synced" }).waitFor();
    await page.mouse.move(0, 0);
    await shoot(page, "10-contacts");
    await page.getByLabel("Lifecycle stage", { exact: true }).selectOption("customer");
    await page.waitForURL((u) => u.searchParams.get("tag") === "lifecycle:customer");
    await page.getByRole("table", { name: "Contacts" }).getByText("Charles Babbage").waitFor({ state: "detached" });
    await shoot(page, "17-contacts-by-lifecycle-stage");
    await page.getByRole("table", { name: "Contacts" }).getByRole("link", { name: "Ada Lovelace" }).click();
    await page.getByText("Synced with HubSpot").waitFor();
    await page.getByRole("link", { name: "Edit Emails in HubSpot" }).waitFor();
    await shoot(page, "11-contact-detail");

    // The bell: the contact run skipped a contact without email or phone.
    const bell = page.getByRole("button", { name: /^Notifications, \d+ unread$/ });
    await bell.waitFor({ timeout: 35_000 });
    await bell.click();
    await page.getByRole("dialog", { name: "Notifications" }).getByRole("link").first().waitFor();
    await shoot(page, "18-notifications");
    await page.keyboard.press("Escape");
    await page.getByRole("link", { name: "See all notifications" }).waitFor({ state: "detached" });
    await page.goto(`${url}/notifications`);
    await page.getByRole("list", { name: "Notifications" }).locator("li").first().waitFor();
    await shoot(page, "19-notifications-page");

    await page.getByRole("link", { name: "Sync activity" }).click();
    const runs = page.getByRole("table", { name: "Sync runs" });
    await runs.waitFor();
    await shoot(page, "13-sync-activity");
    await runs.locator("tbody tr").filter({ hasText: "Partly failed" }).first().getByRole("link").click();
    await page.getByRole("region", { name: "Run errors" }).locator("[data-error-code]").first().waitFor();
    await shoot(page, "14-run-detail");

    await page.getByRole("link", { name: "Security" }).click();
    await page.getByRole("list", { name: "Sign-in sessions" }).getByText("This device").waitFor();
    await page.mouse.move(0, 0);
    await shoot(page, "21-security");

    await page.goto(`${url}/insights?by=industry`);
    await page.getByRole("figure", { name: "Customers by Industry" }).locator(".recharts-bar-rectangle").first().waitFor({ state: "attached" });
    await shoot(page, "15-insights");

    // Two-way: chosen and saved, then the dry run of the first reconcile, not yet confirmed.
    await h.ok("POST", "/api/v1/contacts", { firstName: "Katherine", lastName: "Johnson", emails: ["katherine@acme.com"], customerId: ids["Acme Corp"] });
    await page.goto(`${url}/integrations/hubspot`);
    await settings.getByText("Two-way", { exact: true }).click();
    await settings.getByRole("button", { name: "Save settings" }).click();
    const confirmation = contactSync.getByRole("region", { name: "Two-way sync is waiting for your confirmation" });
    await confirmation.getByRole("button", { name: "Preview first reconcile" }).click();
    await confirmation.getByRole("table", { name: "Sample of the changes" }).waitFor({ timeout: 30_000 });
    await page.mouse.move(0, 0);
    await shoot(page, "20-two-way-preview", { target: confirmation });
  } finally {
    await browser.close();
    await h.close();
  }
}

await main();
