// Builds the web UI into web/dist when it is missing or older than its sources, so `npm start`
// and the browser tests work on a fresh clone without a separate build step. `--force` always
// builds. A lock folder keeps two processes (two test workers, a start and a test) from
// building into the same folder at once.
import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const webDir = fileURLToPath(new URL("..", import.meta.url));
const repoDir = join(webDir, "..");
const distIndex = join(webDir, "dist", "index.html");
const lockDir = join(webDir, ".build-lock");

function newestMtime(path: string): number {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when web/dist is missing or any source (or the installed dependency set) is newer. */
export function webBuildIsStale(): boolean {
  let built: number;
  try {
    built = statSync(distIndex).mtimeMs;
  } catch {
    return true;
  }
  const sources = [
    join(webDir, "src"),
    join(webDir, "public"),
    join(webDir, "index.html"),
    join(webDir, "vite.config.ts"),
    join(repoDir, "package-lock.json"),
  ];
  return sources.some((source) => newestMtime(source) > built);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      // A lock older than two minutes belongs to a build that died; take it over.
      const age = Date.now() - (statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) rmSync(lockDir, { recursive: true, force: true });
      if (Date.now() - started > 180_000) throw new Error(`Timed out waiting for another web build (lock ${lockDir}).`);
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Builds when needed; returns whether it built. */
export async function ensureWebBuild(options: { force?: boolean; quiet?: boolean } = {}): Promise<boolean> {
  if (!options.force && !webBuildIsStale()) return false;
  return withLock(async () => {
    // Another process may have finished the same build while this one waited.
    if (!options.force && !webBuildIsStale()) return false;
    const { build } = await import("vite");
    await build({ configFile: join(webDir, "vite.config.ts"), logLevel: options.quiet ? "error" : "info" });
    return true;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const force = process.argv.includes("--force");
  const built = await ensureWebBuild({ force });
  if (!built) console.log("web UI is up to date (web/dist)");
}
