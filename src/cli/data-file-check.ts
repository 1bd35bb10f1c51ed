// At start: a warning for each data file (SQLite database, its WAL, the generated key) that
// other users of the machine can read, e.g. one created by an older crmsync with mode 0644.
import { join } from "node:path";
import type { Config } from "../config.ts";
import { exposedDataFiles, sqliteFiles } from "../db/data-files.ts";

export function dataFilesOf(config: Config): string[] {
  const files = config.database.dialect === "sqlite" && config.database.file !== ":memory:" ? sqliteFiles(config.database.file) : [];
  if (!config.secret) files.push(join(config.dataDir, "secret.key"));
  return files;
}

export function warnAboutExposedDataFiles(config: Config, warn: (message: string) => void = (m) => console.warn(m)): number {
  const warnings = exposedDataFiles(dataFilesOf(config));
  for (const warning of warnings) warn(`crmsync: warning: ${warning}`);
  return warnings.length;
}
