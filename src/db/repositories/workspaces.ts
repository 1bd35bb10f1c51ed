import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../schema.ts";

export async function createWorkspace(db: Kysely<Database>, name: string): Promise<{ id: string; name: string }> {
  const row = { id: randomUUID(), name, created_at: new Date().toISOString() };
  await db.insertInto("workspaces").values(row).execute();
  return { id: row.id, name };
}

export async function getWorkspace(db: Kysely<Database>, id: string) {
  return db.selectFrom("workspaces").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function listWorkspaces(db: Kysely<Database>) {
  return db.selectFrom("workspaces").selectAll().orderBy("created_at").execute();
}
