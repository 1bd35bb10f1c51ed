// The HubSpot flows in a real browser, against the app and the HubSpot emulator over real
// HTTP with a background worker: connect with a private-app token, turn HubSpot Sync on,
// import fields through the dialog and see their values, link a customer by hand.
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureWebBuild } from "../../web/scripts/build.ts";
import { HubSpotHarness } from "../support/hubspot.ts";
import { openBrowser, signIn, type TestBrowser } from "./browser.ts";

describe("web UI with HubSpot", () => {
  let harness: HubSpotHarness;
  let url: string;
  let browser: TestBrowser;
  let page: Page;
  const pageErrors: string[] = [];

  const table = () => page.getByRole("table", { name: "Customers" });
  const row = (name: string) => table().getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });

  beforeAll(async () => {
    await ensureWebBuild({ quiet: true });
    harness = await HubSpotHarness.start("sqlite");
    await harness.t.app.listen({ host: "127.0.0.1", port: 0 });
    url = `http://127.0.0.1:${(harness.t.app.server.address() as AddressInfo).port}`;

    const acme = await harness.addCompany({ name: "Acme Corp", domain: "acme.com", industry: "COMPUTER_SOFTWARE", annualrevenue: "1250000" });
    await harness.addDeal(acme, { dealname: "Acme renewal", amount: "48000", createdate: "2026-01-10T00:00:00Z" });
    await harness.addCompany({ name: "Globex East", domain: "globex.com" });
    await harness.addCompany({ name: "Globex West", domain: "globex.com" });
    await harness.addCompany({ name: "Hooli", domain: "hooli.xyz", annualrevenue: "8400000" });
    await harness.createCustomer("Acme", ["acme.com"]);
    await harness.createCustomer("Globex", ["globex.com"]);
    await harness.createCustomer("Initech");
    await harness.createCustomer("Hooli Inc");

    browser = await openBrowser();
    page = browser.page;
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await signIn(page, url, harness.ws.adminEmail, harness.t.password);
  }, 120_000);

  afterEach(async (context) => {
    if (context.task.result?.state === "fail" && page) {
      await page.screenshot({ path: `test-results/e2e-hubspot-${context.task.name.replace(/[^a-z0-9]+/gi, "-")}.png` }).catch(() => undefined);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  it("connects HubSpot with a service key, the default kind of key", async () => {
    // A HubSpot admin creates the key (the emulator's control API stands in for HubSpot's screen).
    const serviceKey = "sk-e2e-service-key";
    await harness.control("POST", "/service-keys", { key: serviceKey });
    await page.getByRole("link", { name: "Integrations" }).click();
    const connection = page.getByRole("region", { name: "HubSpot connection" });
    await connection.getByText("Not connected").waitFor();
    // The screen says where HubSpot creates a service key; a legacy private-app token is the other choice.
    await connection.getByText("Development › Keys › Service keys", { exact: false }).first().waitFor();
    await connection.getByText("Legacy private-app token").waitFor();
    await connection.getByPlaceholder("Paste the service key").fill(serviceKey);
    await connection.getByRole("button", { name: "Connect", exact: true }).click();
    await connection.getByText("Connected", { exact: true }).waitFor();
    await page.getByRole("region", { name: "Account sync" }).waitFor();
    await page.getByRole("region", { name: "Contact sync" }).waitFor();
  });

  it("turns HubSpot Sync on and shows the links and unlinked reasons", async () => {
    await page.getByRole("link", { name: "Customers" }).click();
    await row("Acme").waitFor();
    expect(await row("Acme").getByText("Not checked yet").count()).toBe(1);
    const toggle = page.getByRole("switch", { name: "HubSpot Sync" });
    await expect.poll(() => toggle.isEnabled()).toBe(true);
    await toggle.click();
    await expect.poll(() => toggle.isChecked()).toBe(true);
    await harness.drain();
    await row("Acme").getByText("Linked", { exact: true }).waitFor({ timeout: 15_000 });
    await row("Globex").getByText("Several matching companies (2)").waitFor();
    await row("Initech").getByText("No domain").waitFor();
    const run = await harness.latestRun();
    // The ambiguous Globex is recorded as an error, so the run is partial.
    expect(run).toMatchObject({ trigger: "enable", status: "partial", errorCount: 1 });
  });

  it("imports fields through the dialog and shows their values", async () => {
    await page.getByRole("tab", { name: "Custom Fields" }).click();
    await page.getByRole("button", { name: "Import from CRM" }).click();
    const dialog = page.getByRole("dialog", { name: "Import from HubSpot" });
    const companies = dialog.getByRole("region", { name: "Company fields" });
    const deals = dialog.getByRole("region", { name: "Deal fields" });
    await companies.getByRole("checkbox", { name: "Industry", exact: true }).waitFor();
    await deals.getByRole("checkbox", { name: "Amount", exact: true }).waitFor();

    // Unsupported properties are disabled and say why.
    const contract = companies.getByRole("checkbox", { name: "Signed contract", exact: true });
    expect(await contract.isDisabled()).toBe(true);
    await companies.locator("[data-unsupported]").filter({ hasText: "Signed contract" }).hover();
    await page.getByText("This field isn't supported and won't be imported.").first().waitFor();

    await dialog.getByLabel("Search HubSpot properties").fill("annual");
    await companies.getByText("Annual Revenue", { exact: true }).click();
    await dialog.getByLabel("Search HubSpot properties").fill("");
    await companies.getByText("Industry", { exact: true }).click();
    await deals.getByText("Amount", { exact: true }).click();
    await dialog.getByText("3 selected").waitFor();
    await dialog.getByRole("button", { name: "Import Fields" }).click();
    await dialog.waitFor({ state: "hidden" });
    const fields = page.getByRole("table", { name: "Custom fields" });
    for (const label of ["Industry", "Annual Revenue", "Amount"]) {
      await fields.locator("tbody tr").filter({ hasText: label }).getByRole("img", { name: "Synced from HubSpot" }).waitFor();
    }

    // Imported ones are disabled the next time the dialog opens.
    await page.getByRole("button", { name: "Import from CRM" }).click();
    await expect.poll(() => companies.getByRole("checkbox", { name: "Industry", exact: true }).isDisabled()).toBe(true);
    await dialog.getByRole("button", { name: "Cancel" }).click();

    await harness.drain();
    await page.getByRole("tab", { name: "Overview" }).click();
    await expect.poll(() => row("Acme").innerText(), { timeout: 15_000 }).toContain("1,250,000");
    expect(await row("Acme").innerText()).toContain("48,000");
    // Two dialogs of ~65 properties and a sync: ~14 s alone, over 30 s on a loaded two-core machine.
  }, 60_000);

  it("links a customer by hand and shows its values at once", async () => {
    await row("Hooli Inc").getByRole("button", { name: "Link Hooli Inc to HubSpot" }).click();
    const dialog = page.getByRole("dialog", { name: "Link to HubSpot" });
    await dialog.getByLabel("Search companies").fill("hooli");
    await dialog.getByRole("radio", { name: "Hooli" }).click();
    await dialog.getByText("This company has no deals.").waitFor();
    await dialog.getByRole("button", { name: "Save & Sync" }).click();
    const values = dialog.getByRole("table", { name: "Synced values" });
    await values.waitFor();
    expect(await values.getByRole("row").filter({ hasText: "Annual Revenue" }).innerText()).toContain("8,400,000");
    await dialog.getByRole("button", { name: "Done" }).click();
    await row("Hooli Inc").getByText("Linked by hand").waitFor();
    expect(await row("Hooli Inc").innerText()).toContain("8,400,000");
    expect(pageErrors).toEqual([]);
  });
});
