import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, Role, User } from "../schema.ts";

export interface NewUser {
  workspaceId: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
}

export async function createUser(db: Kysely<Database>, input: NewUser): Promise<User> {
  const row: User = {
    id: randomUUID(),
    workspace_id: input.workspaceId,
    email: input.email,
    name: input.name,
    role: input.role,
    password_hash: input.passwordHash,
    created_at: new Date().toISOString(),
  };
  await db.insertInto("users").values(row).execute();
  return row;
}

export async function findUserByEmail(db: Kysely<Database>, email: string): Promise<User | undefined> {
  return db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
}

export async function getUser(db: Kysely<Database>, workspaceId: string, id: string): Promise<User | undefined> {
  return db.selectFrom("users").selectAll().where("workspace_id", "=", workspaceId).where("id", "=", id).executeTakeFirst();
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom("users").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}
