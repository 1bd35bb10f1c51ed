// What route handlers get from the process: handles and options, never process.env.
import type { Kysely } from "kysely";
import type { Dialect } from "../db/database.ts";
import type { Database } from "../db/schema.ts";

export interface AppContext {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Hex AES-256-GCM key for CRM credentials. */
  secretKey: string;
  /** Where the app is reached, for OAuth redirect URIs and links. */
  publicUrl: string;
  /** Cookies get the Secure flag when the public URL is https. */
  secureCookies: boolean;
}
