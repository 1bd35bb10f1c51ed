// The SQLite database holds every customer, contact and (sealed) CRM credential, and its key
// sits beside it: both are for the owner's eyes only (product spec §11). New files are created
// 0600 in a 0700 folder; files that already exist are left as they are, with a warning at start.
import { closeSync, mkdirSync, openSync, statSync } from "node:fs";
import { dirname } from "node:path";

/** Creates the folder (0700) and an empty file (0600) unless they exist, before SQLite opens it. */
export function createPrivateFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  try {
    // SQLite creates its -wal and -shm files with the database file's mode.
    closeSync(openSync(file, "wx", 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

/** A sentence per existing file that others than its owner may read or write; empty when all are private. */
export function exposedDataFiles(files: readonly string[]): string[] {
  const warnings: string[] = [];
  for (const file of files) {
    let mode: number;
    try {
      mode = statSync(file).mode;
    } catch {
      continue;
    }
    if ((mode & 0o077) !== 0) {
      warnings.push(`${file} can be read by other users (mode ${(mode & 0o777).toString(8).padStart(4, "0")}); run \`chmod 600 ${file}\`.`);
    }
  }
  return warnings;
}

/** The files of a SQLite database: the database, its write-ahead log and shared-memory index. */
export function sqliteFiles(file: string): string[] {
  return [file, `${file}-wal`, `${file}-shm`];
}
