// Creating workspaces, users and API tokens: shared by the CLI, first-start demo setup and tests.
import type { Kysely } from "kysely";
import { normalizeEmail } from "./core/handles.ts";
import { generateToken, hashPassword, hashToken } from "./core/security.ts";
import { createApiToken } from "./db/repositories/credentials.ts";
import { createUser } from "./db/repositories/users.ts";
import { createWorkspace } from "./db/repositories/workspaces.ts";
import type { Database, Role, User } from "./db/schema.ts";

export async function provisionUser(
  db: Kysely<Database>,
  input: { workspaceId: string; email: string; name: string; role: Role; password: string },
): Promise<User> {
  if (input.password.length < 8) throw new Error("The password must have at least 8 characters.");
  return createUser(db, {
    workspaceId: input.workspaceId,
    email: normalizeEmail(input.email),
    name: input.name,
    role: input.role,
    passwordHash: await hashPassword(input.password),
  });
}

/** Returns the token in clear text once; only its hash is stored. */
export async function issueApiToken(
  db: Kysely<Database>,
  input: { workspaceId: string; name: string; role: Role; createdBy?: string | null },
): Promise<{ id: string; token: string }> {
  const token = generateToken("csk_");
  const { id } = await createApiToken(db, {
    workspaceId: input.workspaceId,
    name: input.name,
    role: input.role,
    tokenHash: hashToken(token),
    createdBy: input.createdBy ?? null,
  });
  return { id, token };
}

export async function provisionWorkspace(
  db: Kysely<Database>,
  input: { name: string; adminEmail: string; adminName: string; adminPassword: string },
): Promise<{ workspaceId: string; admin: User }> {
  const workspace = await createWorkspace(db, input.name);
  const admin = await provisionUser(db, {
    workspaceId: workspace.id,
    email: input.adminEmail,
    name: input.adminName,
    role: "admin",
    password: input.adminPassword,
  });
  return { workspaceId: workspace.id, admin };
}
