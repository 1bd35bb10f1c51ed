// Contact-sync settings (product spec §4): what the admin chooses, plus the little state the
// settings carry (preview and confirmation of two-way, a source that broke). Stored as JSON in
// sync_settings.contact_sync; read leniently, so settings saved by an older version still load.
import type { Kysely } from "kysely";
import { z } from "zod";
import { defaultLifecycleStages } from "../../core/contact-matching.ts";
import type { SyncedField } from "../../core/conflicts.ts";
import { getSyncSettings, setContactSyncSettings } from "../../db/repositories/sync-settings.ts";
import type { Database } from "../../db/schema.ts";

export const contactSyncModes = ["off", "inbound", "two_way"] as const;
export type ContactSyncMode = (typeof contactSyncModes)[number];

const propertyName = z.string().trim().min(1).max(200);

export const sourceSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("synced_companies") }),
  z.object({ kind: z.literal("list"), listId: z.string().trim().min(1).max(64) }),
]);
export type ContactSource = z.infer<typeof sourceSchema>;

export const mappingSchema = z.object({
  firstName: propertyName.nullable(),
  lastName: propertyName.nullable(),
  email: propertyName.nullable(),
  phone: propertyName.nullable(),
});
export type FieldMapping = z.infer<typeof mappingSchema>;

export const defaultMaxWritesPerRun = 10_000;

export interface ContactSyncSettings {
  mode: ContactSyncMode;
  source: ContactSource;
  lifecycleStages: string[];
  mapping: FieldMapping;
  paused: boolean;
  /** CRM records created or updated per run at most (two-way); the rest waits for the next run. */
  maxWritesPerRun: number;
  /** When the settings last changed in a way a preview depends on. */
  changedAt: string | null;
  previewedAt: string | null;
  /** Two-way writes to the CRM only once an admin confirmed a preview. */
  confirmedAt: string | null;
  /** The source list was deleted: no run until another list is chosen. */
  sourceError: { code: "crm_list_not_found"; listId: string; at: string } | null;
}

/** Settings before an admin changed anything; the mapping is the connector's default (CrmProvider.defaultContactMapping). */
export function defaultSettings(defaultMapping: FieldMapping, lifecycleStages: readonly string[] = defaultLifecycleStages): ContactSyncSettings {
  return {
    mode: "off",
    source: { kind: "synced_companies" },
    lifecycleStages: [...lifecycleStages],
    mapping: { ...defaultMapping },
    paused: false,
    maxWritesPerRun: defaultMaxWritesPerRun,
    changedAt: null,
    previewedAt: null,
    confirmedAt: null,
    sourceError: null,
  };
}

const storedSchema = z
  .object({
    mode: z.enum(contactSyncModes).catch("off"),
    source: sourceSchema.catch({ kind: "synced_companies" }),
    lifecycleStages: z.array(z.string()).catch([...defaultLifecycleStages]),
    mapping: mappingSchema.partial().catch({}),
    paused: z.boolean().catch(false),
    maxWritesPerRun: z.number().int().positive().catch(defaultMaxWritesPerRun),
    changedAt: z.string().nullable().catch(null),
    previewedAt: z.string().nullable().catch(null),
    confirmedAt: z.string().nullable().catch(null),
    sourceError: z.object({ code: z.literal("crm_list_not_found"), listId: z.string(), at: z.string() }).nullable().catch(null),
  })
  .partial();

export function parseSettings(raw: unknown, defaultMapping: FieldMapping, lifecycleStages?: readonly string[]): ContactSyncSettings {
  const parsed = storedSchema.safeParse(raw ?? {});
  const stored = parsed.success ? parsed.data : {};
  return {
    ...defaultSettings(defaultMapping, lifecycleStages),
    ...Object.fromEntries(Object.entries(stored).filter(([, v]) => v !== undefined)),
    mapping: { ...defaultMapping, ...(stored.mapping ?? {}) } as FieldMapping,
  };
}

/** The provider's id and its default contact mapping (a CrmProvider is one). */
export interface ContactSettingsProvider {
  id: string;
  displayName: string;
  defaultContactMapping: FieldMapping;
  /** The connector's default stage filter; HubSpot's stages when absent. */
  defaultLifecycleStages?: readonly string[];
}

export async function loadContactSyncSettings(db: Kysely<Database>, workspaceId: string, provider: ContactSettingsProvider): Promise<ContactSyncSettings> {
  return parseSettings((await getSyncSettings(db, workspaceId, provider.id)).contactSync, provider.defaultContactMapping, provider.defaultLifecycleStages);
}

export async function saveContactSyncSettings(db: Kysely<Database>, workspaceId: string, provider: string, settings: ContactSyncSettings): Promise<void> {
  await setContactSyncSettings(db, workspaceId, provider, settings);
}

/** Contact field → CRM property, for the mapped fields. */
export function mappedFields(mapping: FieldMapping): Partial<Record<SyncedField, string>> {
  const out: Partial<Record<SyncedField, string>> = {};
  for (const field of ["firstName", "lastName", "email", "phone"] as const) {
    const property = mapping[field];
    if (property !== null) out[field] = property;
  }
  return out;
}

/** Whether the settings let runs of this kind go now (mode, pause, confirmation, broken source). */
export function runnable(settings: ContactSyncSettings, kind: "contacts" | "reconcile" | "push"): boolean {
  if (settings.paused || settings.mode === "off") return false;
  if (settings.sourceError && settings.source.kind === "list" && settings.source.listId === settings.sourceError.listId) return false;
  if (kind === "contacts") return settings.mode === "inbound";
  return settings.mode === "two_way" && settings.confirmedAt !== null;
}

/** Workspaces whose contact sync may run `kind` now, with a usable connection: the schedules' lists. */
export async function workspacesForContactRuns(db: Kysely<Database>, provider: ContactSettingsProvider, kind: "contacts" | "reconcile"): Promise<string[]> {
  const rows = await db
    .selectFrom("sync_settings as s")
    .innerJoin("crm_connections as c", (join) => join.onRef("c.workspace_id", "=", "s.workspace_id").onRef("c.provider", "=", "s.provider"))
    .select(["s.workspace_id", "s.contact_sync"])
    .where("s.provider", "=", provider.id)
    .where("c.status", "=", "connected")
    .execute();
  return rows.filter((r) => runnable(parseSettings(safeJson(r.contact_sync), provider.defaultContactMapping, provider.defaultLifecycleStages), kind)).map((r) => r.workspace_id);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
