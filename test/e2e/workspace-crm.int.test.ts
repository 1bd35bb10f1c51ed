// The web UI names the workspace's CRM, whichever it is. Two CRMs are registered: HubSpot and
// "Other CRM" (HubSpot's connector under another id, at the same emulator), so a real browser can
// connect the second one and every screen must say its name and call its routes.
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureWebBuild } from "../../web/scripts/build.ts";
import { HubSpotHarness } from "../support/hubspot.ts";
import { openBrowser, signIn, type TestBrowser } from "./browser.ts";

describe("web UI with a second CRM", () => {
  let harness: HubSpotHarness;
  let url: string;
  let browser: TestBrowser;
  let page: Page;
  const pageErrors: string[] = [];

  const nav = () => page.getByRole("navigation", { name: "Main navigation" });
  const crms = () => page.getByRole("navigation", { name: "CRMs" });
  const crmCard = (name: string) => crms().getByRole("link").filter({ hasText: name });
  const row = (name: string) => page.getByRole("table", { name: "Customers" }).getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });

  beforeAll(async () => {
    await ensureWebBuild({ quiet: true });
    harness = await HubSpotHarness.start("sqlite", { secondCrm: true });
    await harness.t.app.listen({ host: "127.0.0.1", port: 0 });
    url = `http://127.0.0.1:${(harness.t.app.server.address() as AddressInfo).port}`;
    await harness.addCompany({ name: "Acme Corp", domain: "acme.com" });
    await harness.createCustomer("Acme", ["acme.com"]);

    browser = await openBrowser();
    page = browser.page;
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await signIn(page, url, harness.ws.adminEmail, harness.t.password);
  }, 120_000);

  afterEach(async (context) => {
    if (context.task.result?.state === "fail" && page) {
      await page.screenshot({ path: `test-results/e2e-workspace-crm-${context.task.name.replace(/[^a-z0-9]+/gi, "-")}.png` }).catch(() => undefined);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  it("offers every CRM, HubSpot first, while none is connected", async () => {
    await page.getByRole("switch", { name: "HubSpot Sync" }).waitFor();
    await nav().getByRole("link", { name: "Integrations" }).click();
    await page.waitForURL(`${url}/integrations/hubspot`);
    expect(await nav().getByRole("link", { name: "Integrations" }).innerText()).toContain("HubSpot");
    await crmCard("Other CRM").getByText("Not connected").waitFor();
    expect((await crms().getByRole("link").allInnerTexts()).map((text) => text.split("\n")[0])).toEqual(["HubSpot", "Other CRM"]);
    expect(await crmCard("HubSpot").getAttribute("aria-current")).toBe("page");

    await crmCard("Other CRM").click();
    await page.getByRole("heading", { name: "Integrations › Other CRM" }).waitFor();
    const connection = page.getByRole("region", { name: "Other CRM connection" });
    await connection.getByText("Not connected").waitFor();
    await connection.getByRole("button", { name: "Connect with Other CRM" }).waitFor();
    // HubSpot's own help (where HubSpot makes a service key) is not said for another CRM.
    expect(await connection.getByText("Development › Keys › Service keys", { exact: false }).count()).toBe(0);
  });

  it("connects Other CRM, and Integrations says HubSpot needs it disconnected first", async () => {
    const serviceKey = "sk-e2e-other-crm";
    await harness.control("POST", "/service-keys", { key: serviceKey });
    const connection = page.getByRole("region", { name: "Other CRM connection" });
    await connection.getByPlaceholder("Paste the service key").fill(serviceKey);
    await connection.getByRole("button", { name: "Connect", exact: true }).click();
    await connection.getByText("Connected", { exact: true }).waitFor();
    await page.getByRole("region", { name: "Account sync" }).getByText(/Other CRM companies and deals/).waitFor();
    expect(await nav().getByRole("link", { name: "Integrations" }).innerText()).toContain("Other CRM");

    await crmCard("Other CRM").getByText("Connected", { exact: true }).waitFor();
    await crmCard("HubSpot").getByText("Disconnect Other CRM first to connect HubSpot.").waitFor();
    await crmCard("HubSpot").click();
    await page.getByRole("status").filter({ hasText: "This workspace syncs with Other CRM" }).waitFor();
    expect(await page.getByRole("button", { name: "Connect with HubSpot" }).count()).toBe(0);
    expect(await page.getByRole("region", { name: "HubSpot connection" }).count()).toBe(0);
  });

  it("names Other CRM on the Customers toggle and on a linked customer's link", async () => {
    await nav().getByRole("link", { name: "Customers" }).click();
    const toggle = page.getByRole("switch", { name: "Other CRM Sync" });
    await expect.poll(() => toggle.isEnabled()).toBe(true);
    expect(await page.getByRole("switch", { name: "HubSpot Sync" }).count()).toBe(0);
    await toggle.click();
    await page.getByText("Other CRM Sync is on").waitFor();
    await harness.drain();
    await row("Acme").getByText("Linked", { exact: true }).waitFor({ timeout: 15_000 });
    // The toggle went to the workspace's CRM, not to HubSpot.
    expect(await harness.ok<{ enabled: boolean }>("GET", "/api/v1/crm/other/account-sync")).toMatchObject({ enabled: true });
    await row("Acme").getByRole("button", { name: "Link Acme to Other CRM" }).waitFor();

    await row("Acme").getByRole("link", { name: "Acme", exact: true }).click();
    const link = page.getByRole("region", { name: "Other CRM link" });
    await link.getByText("Linked automatically").waitFor();
    const open = link.getByRole("link", { name: "Open in Other CRM" });
    expect(await open.getAttribute("href")).toMatch(/^https?:\/\//);
    await link.getByRole("button", { name: "Link to Other CRM" }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
