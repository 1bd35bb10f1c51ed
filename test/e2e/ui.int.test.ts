// The web UI in a real browser against the real app on a real port and SQLite database:
// sign in, customers, custom fields, filters, the locked synced field, deleting a field,
// insights and a run's errors. Steps share one signed-in page and run in order.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startTestServer, type TestServer } from "../support/server.ts";
import { openBrowser, type TestBrowser } from "./browser.ts";
import { seedWorkspace, type Seeded } from "./fixture.ts";

describe("web UI", () => {
  let server: TestServer;
  let browser: TestBrowser;
  let page: Page;
  let seeded: Seeded;
  const pageErrors: string[] = [];

  const customerRow = (name: string) => page.getByRole("table", { name: "Customers" }).getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
  const customerNames = async () => page.getByRole("table", { name: "Customers" }).locator("tbody tr td:first-child").allInnerTexts();

  beforeAll(async () => {
    server = await startTestServer("sqlite");
    seeded = await seedWorkspace(server.ctx.db, server.a.id);
    browser = await openBrowser();
    page = browser.page;
    page.on("pageerror", (error) => pageErrors.push(error.message));
  }, 120_000);

  // A failed step leaves a picture of the page behind, which says more than a timeout.
  afterEach(async (context) => {
    if (context.task.result?.state === "fail" && page) {
      await page.screenshot({ path: `test-results/e2e-${context.task.name.replace(/[^a-z0-9]+/gi, "-")}.png` }).catch(() => undefined);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("serves the app shell on deep links and keeps API 404s as JSON", async () => {
    const shell = await fetch(`${server.url}/customers/fields`);
    expect(shell.status).toBe(200);
    expect(shell.headers.get("content-type")).toContain("text/html");
    expect(await shell.text()).toContain('<div id="root">');
    const api = await fetch(`${server.url}/api/v1/no-such-route`, { headers: { authorization: `Bearer ${server.a.adminToken}` } });
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: { code: "not_found" } });
    expect((await fetch(`${server.url}/assets/missing.js`)).status).toBe(404);
  });

  it("signs in with email and password and lands on the customers", async () => {
    await page.goto(`${server.url}/customers`);
    await page.waitForURL(/\/login\?next=/);
    await page.getByLabel("Email").fill(server.a.adminEmail);
    await page.getByRole("textbox", { name: "Password" }).fill("wrong password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "The email or password is incorrect." }).waitFor();
    await page.getByRole("textbox", { name: "Password" }).fill(server.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/customers$/);
    await page.getByRole("heading", { name: "Customers" }).waitFor();
    await customerRow("Acme Corp").waitFor();
    // Synced columns carry the HubSpot mark; unlinked customers say why.
    const industryHeader = page.getByRole("columnheader").filter({ hasText: "Industry" });
    expect(await industryHeader.getByRole("img", { name: "Synced from HubSpot" }).count()).toBe(1);
    expect(await page.getByRole("columnheader").filter({ hasText: "Plan" }).getByRole("img").count()).toBe(0);
    await customerRow("Globex").getByText("Several matching companies (2)").waitFor();
    await customerRow("Initech").getByText("No domain").waitFor();
    await page.getByRole("switch", { name: "HubSpot Sync" }).waitFor();
    expect(await customerRow("Acme Corp").innerText()).toContain("1,250,000");
  });

  it("adds a customer", async () => {
    await page.getByRole("button", { name: "Add new customer" }).click();
    const dialog = page.getByRole("dialog", { name: "Add new customer" });
    await dialog.getByLabel("Name").fill("Wayne Enterprises");
    await dialog.getByLabel("Domains").fill("wayne-enterprises.com");
    await dialog.getByLabel("Domains").press("Enter");
    await dialog.getByRole("button", { name: "Add customer" }).click();
    await dialog.waitFor({ state: "hidden" });
    await customerRow("Wayne Enterprises").getByText("wayne-enterprises.com").waitFor();
    // A refused write shows the API's own message.
    await page.getByRole("button", { name: "Add new customer" }).click();
    await dialog.getByLabel("Name").fill("Wayne again");
    await dialog.getByLabel("Domains").fill("wayne-enterprises.com");
    await dialog.getByLabel("Domains").press("Enter");
    await dialog.getByRole("button", { name: "Add customer" }).click();
    await dialog.getByRole("alert").filter({ hasText: "Wayne Enterprises" }).waitFor();
    await dialog.getByRole("button", { name: "Cancel" }).click();
  });

  it("shows the custom fields with the HubSpot mark on synced ones", async () => {
    await page.getByRole("tab", { name: "Custom Fields" }).click();
    await page.waitForURL(/\/customers\/fields$/);
    const table = page.getByRole("table", { name: "Custom fields" });
    await table.waitFor();
    const rows = table.locator("tbody tr");
    expect(await rows.count()).toBe(6);
    const industry = rows.filter({ hasText: "Industry" });
    expect(await industry.getByRole("img", { name: "Synced from HubSpot" }).count()).toBe(1);
    expect(await industry.innerText()).toContain("HubSpot company property");
    expect(await rows.filter({ hasText: "Plan" }).getByRole("img", { name: "Synced from HubSpot" }).count()).toBe(0);
  });

  it("creates a number field, fills it on a customer and filters customers by it", async () => {
    await page.getByRole("button", { name: "New field" }).click();
    const dialog = page.getByRole("dialog", { name: "New custom field" });
    await dialog.getByLabel("Label").fill("Seats");
    await dialog.getByLabel("Type").selectOption("number");
    await dialog.getByRole("button", { name: "Create field" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.getByRole("table", { name: "Custom fields" }).getByText("seats", { exact: true }).waitFor();

    // Fill the value through the customer detail form.
    await page.goto(`${server.url}/customers/${seeded.customers["globex"]}`);
    await page.getByLabel("Seats").fill("250");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Globex was updated.").waitFor();
    await server.request(server.a.adminToken, "PATCH", `/api/v1/customers/${seeded.customers["initech"]}`, { fields: { seats: 5 } });

    await page.getByRole("link", { name: "All customers" }).click();
    await page.getByRole("button", { name: "Add filter" }).click();
    const form = page.getByRole("form", { name: "Add filter" });
    await form.getByLabel("Field").selectOption({ label: "Seats" });
    await form.getByLabel("Condition").selectOption("gt");
    await form.getByLabel("Value").fill("10");
    await form.getByRole("button", { name: "Apply filter" }).click();
    await page.waitForURL((url) => url.searchParams.get("filter[seats][gt]") === "10");
    await page.getByRole("group", { name: "Active filters" }).getByText("Seats greater than 10").waitFor();
    await expect.poll(customerNames).toEqual(["Globex"]);

    // Sorting by the field, descending, puts customers without a value last.
    await page.getByRole("button", { name: "Remove filter Seats greater than 10" }).click();
    await expect.poll(async () => (await customerNames()).length).toBe(7);
    await page.getByRole("button", { name: "Sort by Seats" }).click();
    await page.getByRole("button", { name: "Sort by Seats, descending" }).click();
    await expect.poll(async () => (await customerNames()).slice(0, 2)).toEqual(["Globex", "Initech"]);
  });

  it("locks a synced field on the customer detail with the HubSpot tooltip", async () => {
    await page.goto(`${server.url}/customers/${seeded.customers["acme"]}`);
    await page.getByRole("heading", { name: "Acme Corp" }).waitFor();
    const industry = page.locator('input[data-field="industry"]');
    expect(await industry.inputValue()).toBe("Software");
    expect(await industry.getAttribute("readonly")).not.toBeNull();
    await industry.hover();
    await page.getByText("This field is synced from HubSpot and cannot be edited here.").waitFor();
    // An editable field is an ordinary input.
    expect(await page.getByLabel("Renewal date").isEditable()).toBe(true);
    await page.getByRole("region", { name: "HubSpot link" }).getByText("Linked automatically").waitFor();
  });

  it("deletes a field through the ··· menu after confirmation", async () => {
    await page.goto(`${server.url}/customers/fields`);
    await page.getByRole("button", { name: "Actions for Priority support" }).click();
    await page.getByRole("menuitem", { name: "Delete field" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete field “Priority support”?" });
    await confirm.getByText("This deletes the field and its value on every customer").waitFor();
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await confirm.waitFor({ state: "hidden" });
    expect(await page.getByRole("table", { name: "Custom fields" }).getByText("Priority support").count()).toBe(1);

    await page.getByRole("button", { name: "Actions for Priority support" }).click();
    await page.getByRole("menuitem", { name: "Delete field" }).click();
    await confirm.getByRole("button", { name: "Delete field" }).click();
    await page.getByText("“Priority support” and its values were deleted.").waitFor();
    await expect.poll(() => page.getByRole("table", { name: "Custom fields" }).getByText("Priority support").count()).toBe(0);
    const fields = (await server.request(server.a.adminToken, "GET", "/api/v1/custom-fields")).json<{ items: { key: string }[] }>();
    expect(fields.items.map((f) => f.key)).not.toContain("priority_support");
  });

  it("deletes a synced field with its values, after confirmation", async () => {
    const dealAmount = seeded.fields["dealAmount"]!;
    const valuesBefore = await server.ctx.db.selectFrom("field_values").select("entity_id").where("field_id", "=", dealAmount.id).execute();
    expect(valuesBefore.length).toBeGreaterThan(0);
    await page.goto(`${server.url}/customers/fields`);
    await page.getByRole("button", { name: "Actions for Deal amount" }).click();
    await page.getByRole("menuitem", { name: "Delete field" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete field “Deal amount”?" });
    await confirm.getByRole("button", { name: "Delete field" }).click();
    await page.getByText("“Deal amount” and its values were deleted.").waitFor();
    await expect.poll(() => page.getByRole("table", { name: "Custom fields" }).getByText("Deal amount").count()).toBe(0);
    // Field, values and mapping are gone (product spec §3.3).
    expect(await server.ctx.db.selectFrom("field_values").select("entity_id").where("field_id", "=", dealAmount.id).execute()).toEqual([]);
    expect(await server.ctx.db.selectFrom("custom_fields").select("id").where("id", "=", dealAmount.id).execute()).toEqual([]);
  });

  it("charts customers by a chosen field", async () => {
    await page.getByRole("link", { name: "Insights" }).click();
    await page.waitForURL(/\/insights/);
    await page.getByLabel("Customers by", { exact: true }).selectOption("industry");
    const chart = page.getByRole("figure", { name: "Customers by Industry" });
    await chart.waitFor();
    await expect.poll(() => chart.locator(".recharts-bar-rectangle").count()).toBeGreaterThan(0);
    const table = page.getByRole("table", { name: "Customers by Industry, as a table" });
    expect(await table.getByRole("row").filter({ hasText: "Software" }).innerText()).toMatch(/Software\s+2\b/);
    await page.getByLabel("Customers by", { exact: true }).selectOption("plan");
    await page.getByRole("figure", { name: "Customers by Plan" }).waitFor();
  });

  it("opens a run with errors and shows each error with its hint", async () => {
    await page.getByRole("link", { name: "Sync activity" }).click();
    const runs = page.getByRole("table", { name: "Sync runs" });
    await runs.waitFor();
    expect(await runs.locator("tbody tr").count()).toBe(2);
    const partialRow = runs.locator("tbody tr").filter({ hasText: "Partly failed" });
    expect(await partialRow.innerText()).toContain("Schedule");
    await partialRow.getByRole("link").click();
    await page.waitForURL(new RegExp(`/sync-activity/${seeded.runs.partial}$`));
    const errors = page.getByRole("region", { name: "Run errors" });
    await errors.getByRole("heading", { name: "Errors (2)" }).waitFor();
    const ambiguous = errors.locator('[data-error-code="company_match_ambiguous"]');
    await ambiguous.getByText("Several companies in HubSpot share this customer's domain, so none was linked.").waitFor();
    await ambiguous.getByText("Link the customer by hand, or remove the duplicate domain in HubSpot.").waitFor();
    await errors.locator('[data-error-code="value_not_convertible"]').getByText("How to resolve:").waitFor();
    expect(await page.getByLabel("Failed: 2").count()).toBe(1);
  });

  it("signs out", async () => {
    await page.getByRole("button", { name: /Account menu/ }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await page.waitForURL(/\/login/);
    await page.goto(`${server.url}/insights`);
    await page.waitForURL(/\/login\?next=%2Finsights/);
    expect(pageErrors).toEqual([]);
  });
});
