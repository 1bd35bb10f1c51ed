// The key that seals CRM credentials. Given by CRMSYNC_SECRET, or in embedded mode generated
// once into the data folder (mode 0600) so a restart can still read what it sealed.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config.ts";
import { ConfigError } from "../config.ts";
import { generateSecretKey } from "../core/security.ts";

export function resolveSecretKey(config: Config): string {
  if (config.secret) return config.secret.toLowerCase();
  if (config.database.dialect === "postgres") {
    // Several processes share a PostgreSQL deployment; a key generated on one would not open on another.
    throw new ConfigError("CRMSYNC_SECRET", "is required with a PostgreSQL DATABASE_URL (64 hex characters; `openssl rand -hex 32`)");
  }
  const file = join(config.dataDir, "secret.key");
  if (existsSync(file)) {
    const key = readFileSync(file, "utf8").trim();
    if (!/^[0-9a-f]{64}$/.test(key)) throw new ConfigError("CRMSYNC_SECRET", `file ${file} does not hold 64 hex characters`);
    return key;
  }
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const key = generateSecretKey();
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600);
  return key;
}
