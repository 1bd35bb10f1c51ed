// The demo workspace `npm start` creates on a fresh data folder, so the first run has
// something to log in to. Its credentials are fixed and printed: it listens on 127.0.0.1.
import type { Kysely } from "kysely";
import { provisionWorkspace } from "../accounts.ts";
import { countUsers, findUserByEmail } from "../db/repositories/users.ts";
import type { Database } from "../db/schema.ts";

export const demoCredentials = { email: "admin@demo.crmsync.test", password: "crmsync-demo" } as const;

/** Creates the demo workspace when the database has no user yet; returns the demo login if it exists. */
export async function ensureDemoWorkspace(db: Kysely<Database>): Promise<{ email: string; password: string; workspaceId: string } | null> {
  if ((await countUsers(db)) === 0) {
    const { workspaceId } = await provisionWorkspace(db, {
      name: "Demo workspace",
      adminEmail: demoCredentials.email,
      adminName: "Demo Admin",
      adminPassword: demoCredentials.password,
    });
    return { ...demoCredentials, workspaceId };
  }
  const existing = await findUserByEmail(db, demoCredentials.email);
  return existing ? { ...demoCredentials, workspaceId: existing.workspace_id } : null;
}
