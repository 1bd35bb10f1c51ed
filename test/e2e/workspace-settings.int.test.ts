// Settings › Workspace in a real browser against the real app: an admin sets the default country
// of phone numbers, adds a personal domain and lowers the contact limit, and the API answers with
// what was saved; Save is enabled only once something changed; a member sees the settings but
// cannot change them; no serious axe violations, at 1360 and 390 px.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startTestServer, type TestServer } from "../support/server.ts";
import { seriousViolations } from "./axe.ts";
import { openBrowser, screenshotIfFailed, signIn, type TestBrowser } from "./browser.ts";

describe("Settings › Workspace", () => {
  let server: TestServer;
  let browser: TestBrowser;
  let page: Page;
  const pageErrors: string[] = [];

  const saved = async () =>
    (await fetch(`${server.url}/api/v1/workspace-settings`, { headers: { authorization: `Bearer ${server.a.adminToken}` } })).json() as Promise<{
      defaultCountry: string | null;
      personalDomains: { allow: string[]; deny: string[] };
      contactLimit: number;
    }>;

  beforeAll(async () => {
    server = await startTestServer("sqlite");
    browser = await openBrowser();
    page = browser.page;
    page.on("pageerror", (error) => pageErrors.push(error.message));
  }, 120_000);

  afterEach((context) => screenshotIfFailed(context, page));

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("lets an admin set the default country, a personal domain and the contact limit", async () => {
    await signIn(page, server.url, server.a.adminEmail, server.password);
    await page.getByRole("link", { name: "Workspace" }).click();
    await page.waitForURL(/\/settings\/workspace$/);
    await page.getByRole("heading", { name: "Workspace settings" }).waitFor();
    // Only the entry of the screen shown is current, not Security beside it.
    expect(await page.getByRole("link", { name: "Workspace" }).getAttribute("aria-current")).toBe("page");
    expect(await page.getByRole("link", { name: "Security" }).getAttribute("aria-current")).toBeNull();
    const save = page.getByRole("button", { name: "Save settings" });
    expect(await save.isDisabled()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole("combobox", { name: "Default country" }).fill("United States");
    await page.getByRole("option", { name: "United States (US)" }).click();
    const also = page.locator("input").and(page.getByLabel("Also personal"));
    // A value that is no domain is refused with the server's reason, and nothing is saved.
    await also.fill("not a domain");
    await also.press("Enter");
    await page.getByLabel("Contact limit").fill("5000");
    await save.click();
    await page.getByText("The settings were not saved").waitFor();
    expect((await saved()).contactLimit).toBe(1_000_000);
    // Backspace in the empty input removes the last domain.
    await also.click();
    await also.press("Backspace");
    await also.fill("staffmail.io");
    await also.press("Enter");
    expect(await save.isEnabled()).toBe(true);
    await save.click();
    await page.getByText("Settings saved").waitFor();
    await expect.poll(async () => (await saved()).defaultCountry).toBe("US");
    expect(await saved()).toEqual({ defaultCountry: "US", personalDomains: { allow: [], deny: ["staffmail.io"] }, contactLimit: 5000 });
    expect(await save.isDisabled()).toBe(true);
  });

  it("fits a 390 px phone with no serious axe violations", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.getByRole("heading", { name: "Workspace settings" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1360, height: 860 });
  });

  it("shows a member the settings without letting them change them", async () => {
    await browser.context.clearCookies();
    await signIn(page, server.url, server.a.memberEmail, server.password);
    await page.goto(`${server.url}/settings/workspace`);
    await page.getByText("Only admins change these settings").waitFor();
    expect(await page.getByRole("combobox", { name: "Default country" }).inputValue()).toBe("United States (US)");
    expect(await page.getByRole("combobox", { name: "Default country" }).isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Save settings" }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
