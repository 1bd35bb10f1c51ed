// Before migrating: one query to prove the database answers, so a wrong DATABASE_URL is reported
// as what it is (a connection problem, naming the variable and the address) and not as a
// failed migration ("Migration ? failed: no PostgreSQL user name specified").
import { sql } from "kysely";
import type { DatabaseTarget } from "../config.ts";
import type { Db } from "./database.ts";

export class DatabaseUnreachableError extends Error {
  constructor(
    readonly variable: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "DatabaseUnreachableError";
  }
}

/** The URL without its password, for messages and logs. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(not a valid URL)";
  }
}

function describeTarget(target: DatabaseTarget): string {
  return target.dialect === "postgres" ? `PostgreSQL at ${redactedUrl(target.url)}` : `the SQLite database ${target.file}`;
}

/** Wraps a failure to open or reach the database in a message naming `variable`. */
export function unreachable(target: DatabaseTarget, variable: string, error: unknown): DatabaseUnreachableError {
  const reason = error instanceof Error ? error.message : String(error);
  const hint =
    target.dialect === "postgres"
      ? `check ${variable} (postgres://user:password@host:port/database) and that the server accepts this user`
      : `check ${variable} and that the folder exists and is writable`;
  return new DatabaseUnreachableError(variable, `Could not connect to ${describeTarget(target)} (${variable}): ${reason}; ${hint}.`, { cause: error });
}

export async function assertReachable(database: Db, target: DatabaseTarget, variable: string): Promise<void> {
  try {
    await sql`select 1`.execute(database.db);
  } catch (error) {
    throw unreachable(target, variable, error);
  }
}
