// Settings › Security in a real browser against the real app: an admin creates an API token (its
// secret shown once), revokes it and the API refuses it; signs another device out and that device's
// session no longer works; a member sees only their own sessions; the screen has no critical or
// serious axe violations and fits a 390 px phone.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startTestServer, type TestServer } from "../support/server.ts";
import { seriousViolations } from "./axe.ts";
import { openBrowser, screenshotIfFailed, signIn, type TestBrowser } from "./browser.ts";

const iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

describe("Settings › Security", () => {
  let server: TestServer;
  let browser: TestBrowser;
  let page: Page;
  const pageErrors: string[] = [];

  /** A sign-in from another device, straight through the API: its session cookie. */
  const signInElsewhere = async (email: string, userAgent: string): Promise<string> => {
    const res = await fetch(`${server.url}/api/v1/session`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url, "user-agent": userAgent },
      body: JSON.stringify({ email, password: server.password }),
    });
    expect(res.status).toBe(200);
    return /crmsync_session=[^;]+/.exec(res.headers.get("set-cookie") ?? "")![0];
  };
  const status = async (path: string, headers: Record<string, string>) => (await fetch(`${server.url}${path}`, { headers })).status;

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

  it("shows an admin the workspace's tokens and sessions, this device marked, with no serious axe violations", async () => {
    await signIn(page, server.url, server.a.adminEmail, server.password);
    await page.getByRole("link", { name: "Security" }).click();
    await page.waitForURL(/\/settings\/security$/);
    const tokens = page.getByRole("list", { name: "API tokens" });
    // The fixture's tokens, named with who created them.
    await tokens.getByRole("listitem").filter({ hasText: "member" }).getByText("by Member").waitFor();
    const sessions = page.getByRole("list", { name: "Sign-in sessions" });
    const thisDevice = sessions.getByRole("listitem").filter({ hasText: "This device" });
    await thisDevice.waitFor();
    expect(await thisDevice.innerText()).toContain("Admin · Chrome on Linux");
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("creates a token, shows its secret once, and revokes it after a confirmation: the API refuses it then", async () => {
    await page.getByRole("button", { name: "New API token" }).click();
    const dialog = page.getByRole("dialog", { name: "New API token" });
    const name = dialog.getByRole("textbox", { name: "Name" });
    await name.waitFor();
    expect(await name.evaluate((el) => el === document.activeElement)).toBe(true);
    await name.fill("nightly export");
    await dialog.getByLabel("Role").selectOption("member");
    await dialog.getByRole("button", { name: "Create token" }).click();
    const shown = page.getByRole("dialog", { name: "API token “nightly export” created" });
    const secret = await shown.getByRole("textbox", { name: "New token" }).inputValue();
    expect(secret).toMatch(/^csk_/);
    expect(await seriousViolations(page, "[role=dialog]")).toEqual([]);
    await shown.getByRole("button", { name: "Done" }).click();
    await shown.waitFor({ state: "hidden" });

    const bearer = { authorization: `Bearer ${secret}` };
    expect(await status("/api/v1/session", bearer)).toBe(200);
    const row = page.getByRole("list", { name: "API tokens" }).getByRole("listitem").filter({ hasText: "nightly export" });
    expect(await row.innerText()).toContain("by Admin");
    expect(await row.innerText()).not.toContain(secret.slice(4));

    await row.getByRole("button", { name: "Revoke nightly export" }).click();
    const confirm = page.getByRole("dialog", { name: "Revoke API token “nightly export”?" });
    // Cancelling keeps the token.
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await confirm.waitFor({ state: "hidden" });
    expect(await status("/api/v1/session", bearer)).toBe(200);
    await row.getByRole("button", { name: "Revoke nightly export" }).click();
    await confirm.getByRole("button", { name: "Revoke token" }).click();
    await row.waitFor({ state: "detached" });
    expect(await status("/api/v1/session", bearer)).toBe(401);
  });

  it("signs another device out: its session is refused from then on", async () => {
    const phone = await signInElsewhere(server.a.adminEmail, iphone);
    expect(await status("/api/v1/session", { cookie: phone })).toBe(200);
    await page.reload();
    const row = page.getByRole("list", { name: "Sign-in sessions" }).getByRole("listitem").filter({ hasText: "Safari on iOS" });
    await row.getByRole("button", { name: "Sign out Admin · Safari on iOS" }).click();
    await page.getByRole("dialog", { name: "Sign out this session?" }).getByRole("button", { name: "Sign out session" }).click();
    await row.waitFor({ state: "detached" });
    expect(await status("/api/v1/session", { cookie: phone })).toBe(401);
    // This device has no sign-out button of its own here, and is still signed in.
    const thisDevice = page.getByRole("list", { name: "Sign-in sessions" }).getByRole("listitem").filter({ hasText: "This device" });
    expect(await thisDevice.getByRole("button").count()).toBe(0);
    expect(await status("/api/v1/session", { cookie: await browserCookie() })).toBe(200);
  });

  it("fits a 390 px phone: nothing scrolls sideways and the revoke buttons are on screen", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    const revoke = page.getByRole("button", { name: "Revoke admin" });
    await revoke.waitFor();
    const box = (await revoke.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1360, height: 860 });
  });

  it("shows a member only their own sessions, and no API tokens", async () => {
    await signInElsewhere(server.a.adminEmail, "admin elsewhere");
    const memberPhone = await signInElsewhere(server.a.memberEmail, iphone);
    await browser.context.clearCookies();
    await signIn(page, server.url, server.a.memberEmail, server.password);
    await page.goto(`${server.url}/settings/security`);
    const sessions = page.getByRole("list", { name: "Sign-in sessions" });
    await sessions.getByRole("listitem").filter({ hasText: "This device" }).waitFor();
    expect(await sessions.getByRole("listitem").count()).toBe(2);
    expect(await sessions.innerText()).not.toContain("admin elsewhere");
    expect(await page.getByRole("heading", { name: "API tokens" }).count()).toBe(0);
    await sessions.getByRole("button", { name: "Sign out Safari on iOS" }).click();
    await page.getByRole("dialog", { name: "Sign out this session?" }).getByRole("button", { name: "Sign out session" }).click();
    await sessions.getByRole("listitem").filter({ hasText: "Safari on iOS" }).waitFor({ state: "detached" });
    expect(await status("/api/v1/session", { cookie: memberPhone })).toBe(401);
    expect(await seriousViolations(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  async function browserCookie(): Promise<string> {
    const cookie = (await browser.context.cookies(server.url)).find((c) => c.name === "crmsync_session")!;
    return `${cookie.name}=${cookie.value}`;
  }
});
