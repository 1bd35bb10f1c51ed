// Chromium driven by playwright-core (no browser download is possible here): the system's, or the
// build shipped in an npm package (test/support/chromium.ts), with a fresh profile per run so no
// state leaks between tests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { findChromium } from "../support/chromium.ts";

const flags = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function openBrowser(options: { width?: number; height?: number } = {}): Promise<TestBrowser> {
  const build = await findChromium();
  const profile = mkdtempSync(join(tmpdir(), "crmsync-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: build.executablePath,
    env: { ...process.env, ...build.env },
    headless: true,
    args: flags,
    viewport: { width: options.width ?? 1360, height: options.height ?? 860 },
    locale: "en-US",
    timezoneId: "UTC",
    reducedMotion: "reduce",
  });
  context.setDefaultTimeout(10_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs in through the login form and waits for the customers screen. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("textbox", { name: "Password" }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Customers" }).waitFor();
}

/** For afterEach: a failed step leaves a picture of the page behind, which says more than a timeout. */
export async function screenshotIfFailed(context: { task: { name: string; result?: { state?: string } } }, page: Page | undefined): Promise<void> {
  if (context.task.result?.state !== "fail" || !page) return;
  await page.screenshot({ path: `test-results/e2e-${context.task.name.replace(/[^a-z0-9]+/gi, "-")}.png` }).catch(() => undefined);
}
