// `crmsync field unmap`, the support action "remove only the mapping" (product spec §3.3) from
// the command line: the real CLI in a child process on a SQLite file. The field stops syncing
// from the CRM, keeps its values and becomes editable; a wrong key gets one clear line.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../src/db/database.ts";
import { createField, createSyncedFields, getField } from "../../src/db/repositories/custom-fields.ts";
import { createCustomer, getCustomer } from "../../src/db/repositories/customers.ts";
import { writeSyncedValues } from "../../src/db/repositories/field-values.ts";
import { listWorkspaces } from "../../src/db/repositories/workspaces.ts";
import { runCli } from "../support/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "crmsync-field-"));
const crmsync = (args: string[]) => runCli(args, { dataDir: dir });

describe("crmsync field unmap", () => {
  let database: Db;
  let workspaceId: string;
  let syncedId: string;
  let customerId: string;

  beforeAll(async () => {
    const created = await runCli(["user", "create", "--email", "support@example.com", "--workspace-name", "Support", "--password-stdin"], { dataDir: dir, stdin: "a long password\n" });
    expect(created.code).toBe(0);
    database = openDatabase({ dialect: "sqlite", file: join(dir, "crmsync.db") });
    workspaceId = (await listWorkspaces(database.db))[0]!.id;
    const [arr] = await createSyncedFields(database.db, workspaceId, [{ label: "ARR", type: "number", syncMapping: { provider: "hubspot", object: "company", property: "annualrevenue" } }]);
    syncedId = arr!.id;
    customerId = (await createCustomer(database.db, workspaceId, { name: "Kept Value Co" })).id;
    await writeSyncedValues(database.db, workspaceId, customerId, new Map([[syncedId, { text: null, number: 125000 }]]));
  }, 120_000);

  afterAll(async () => {
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("removes only the mapping: the value stays and the field is editable", { timeout: 60_000 }, async () => {
    const { code, stdout } = await crmsync(["field", "unmap", "arr"]);
    expect(code).toBe(0);
    expect(stdout).toContain('"ARR" (arr) no longer syncs from hubspot company property annualrevenue');
    expect((await getField(database.db, workspaceId, syncedId))!.syncMapping).toBeNull();
    expect((await getCustomer(database.db, workspaceId, customerId))!.fields.arr).toBe(125000);
  });

  it("says so for a field that is not synced, and names a key it does not know", { timeout: 120_000 }, async () => {
    await createField(database.db, workspaceId, { label: "Tier", type: "text" });
    const unsynced = await crmsync(["field", "unmap", "tier"]);
    expect(unsynced.code).toBe(0);
    expect(unsynced.stdout).toContain("is not synced from a CRM; nothing to remove");
    const unknown = await crmsync(["field", "unmap", "no_such_field"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No custom field with the key or id "no_such_field"');
  });
});
