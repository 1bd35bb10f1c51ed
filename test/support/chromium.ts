// Which Chromium the browser tests drive. A system Chromium when there is one (Debian's
// /usr/bin/chromium, or CHROMIUM_PATH); otherwise the Chromium build that the npm package
// @sparticuz/chromium ships inside itself (brotli-compressed, with the NSS libraries it links),
// unpacked once into node_modules/.cache. So `npm test` needs no browser download and no apt
// install; where neither can run, it says in one line what to install. See
// docs/decisions/0030-test-browser-and-postgres.md.
import { spawnSync } from "node:child_process";
import { accessSync, constants, createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { brotliDecompressSync, createBrotliDecompress } from "node:zlib";
import { MissingPrerequisite } from "./prerequisite.ts";

export interface ChromiumBuild {
  executablePath: string;
  /** Extra environment for the browser process (the bundled build's own libraries). */
  env: Record<string, string>;
  /** Where it came from, for the suite's first lines. */
  source: string;
}

const systemCandidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

const noChromiumMessage =
  "Browser tests need Chromium: install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome executable; " +
  "the Chromium shipped in @sparticuz/chromium runs only on Linux x64.";

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The package's folder, or null when it is not installed (npm ci --omit=dev). */
function bundledPackageDir(): string | null {
  try {
    // The package's entry is build/cjs/index.cjs; its bin/ folder holds the compressed build.
    return join(dirname(createRequire(import.meta.url).resolve("@sparticuz/chromium")), "..", "..");
  } catch {
    return null;
  }
}

function untar(archive: string, into: string): void {
  mkdirSync(into, { recursive: true });
  const result = spawnSync("tar", ["-x", "-C", into], { input: brotliDecompressSync(readFileSync(archive)) });
  if (result.status !== 0) throw new Error(`unpacking ${archive} failed: ${result.stderr.toString().trim() || String(result.error)}`);
}

/**
 * Unpacks the bundled build into a folder named after the package version. Two processes may do
 * this at once: each unpacks into its own temporary folder and renames it into place, so nobody
 * ever sees a half-written binary.
 */
async function unpackBundled(packageDir: string): Promise<string> {
  const { version } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version: string };
  const root = join(packageDir, "..", "..", ".cache");
  const target = join(root, `crmsync-chromium-${version}`);
  if (existsSync(join(target, "chromium"))) return target;
  const staging = `${target}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const bin = join(packageDir, "bin");
  await pipeline(createReadStream(join(bin, "chromium.br")), createBrotliDecompress(), createWriteStream(join(staging, "chromium"), { mode: 0o755 }));
  untar(join(bin, "al2023.tar.br"), join(staging, "al2023"));
  untar(join(bin, "fonts.tar.br"), join(staging, "fonts"));
  // Its own fontconfig file names Lambda's folders; this one adds the system fonts to the shipped Open Sans.
  writeFileSync(
    join(staging, "fonts", "fonts.conf"),
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${join(target, "fonts", "fonts")}</dir>\n  <dir>/usr/share/fonts</dir>\n  <cachedir>${join(target, "fonts", "cache")}</cachedir>\n</fontconfig>\n`,
  );
  try {
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(target, "chromium"))) throw error;
  }
  return target;
}

/**
 * Finds (and on first use unpacks) the browser. CHROMIUM_PATH names the system browser to use;
 * when nothing executable is there, the bundled build is used, as on a machine without Chromium.
 */
export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<ChromiumBuild> {
  const candidates = env["CHROMIUM_PATH"] ? [env["CHROMIUM_PATH"]] : systemCandidates;
  const system = candidates.find(isExecutable);
  if (system) return { executablePath: system, env: {}, source: system };
  const packageDir = bundledPackageDir();
  if (!packageDir || process.platform !== "linux" || process.arch !== "x64") throw new MissingPrerequisite(noChromiumMessage);
  const dir = await unpackBundled(packageDir);
  return {
    executablePath: join(dir, "chromium"),
    // The build links NSS and expat; it brings Amazon Linux's copies, so the machine needs none.
    env: { LD_LIBRARY_PATH: [join(dir, "al2023", "lib"), env["LD_LIBRARY_PATH"]].filter(Boolean).join(":"), FONTCONFIG_FILE: join(dir, "fonts", "fonts.conf") },
    source: `the Chromium shipped in @sparticuz/chromium (no system Chromium at ${candidates.join(", ")})`,
  };
}
