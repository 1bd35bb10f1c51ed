import type { ApiVersion } from "./api-versions.ts";
import { iso } from "./clock.ts";
import type { AssociationStore } from "./associations.ts";
import { OBJECT_INFO, resolveObjectType, type ObjectType } from "./object-types.ts";
import type { PropertyDefinition } from "./properties.ts";
import type { ObjectCollection, HistoryEntry, StoredRecord } from "./records.ts";

/** Turns stored records into HubSpot's v3 JSON shapes. */
export interface PublicObject {
  id: string;
  properties: Record<string, string | null>;
  propertiesWithHistory?: Record<string, PublicHistoryEntry[]>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
  associations?: Record<string, { results: Array<{ id: string; type: string }> }>;
  /** 2026-09 only: the record's page in HubSpot's UI. */
  url?: string;
}

interface PublicHistoryEntry {
  value: string;
  timestamp: string;
  sourceType: string;
  sourceId?: string;
  updatedByUserId?: number;
}

/** Query parameters may repeat or be comma-separated; HubSpot accepts both. */
export function listParam(raw: unknown): string[] | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((x) => String(x).split(","));
  const out = parts.map((s) => s.trim()).filter(Boolean);
  return out.length > 0 ? out : undefined;
}

/**
 * Which property names to render: the requested ones plus HubSpot's always-present trio,
 * or the type's defaults when none were requested. Unknown names are dropped, as HubSpot does.
 */
export function projection(type: ObjectType, defs: Map<string, PropertyDefinition>, requested: readonly string[] | undefined): string[] {
  const info = OBJECT_INFO[type];
  if (!requested || requested.length === 0) return [...info.defaultProperties];
  const names = new Set<string>();
  for (const n of requested) if (defs.has(n)) names.add(n);
  for (const n of info.alwaysProperties) names.add(n);
  return [...names];
}

export function propertyValue(r: StoredRecord, name: string): string | undefined {
  switch (name) {
    case "createdate":
      return iso(r.createdAt);
    case "hs_lastmodifieddate":
    case "lastmodifieddate":
      return iso(r.updatedAt);
    case "hs_object_id":
      return String(r.id);
    default:
      return r.props[name];
  }
}

function historyOf(r: StoredRecord, name: string): HistoryEntry[] {
  switch (name) {
    case "createdate":
    case "hs_object_id":
      return [{ value: propertyValue(r, name)!, timestamp: r.createdAt, sourceType: "CALCULATED" }];
    case "hs_lastmodifieddate":
    case "lastmodifieddate":
      return [{ value: iso(r.updatedAt), timestamp: r.updatedAt, sourceType: "CALCULATED" }];
    default:
      return r.historyOf(name);
  }
}

export interface RenderOptions {
  names: readonly string[];
  history?: readonly string[] | undefined;
  associations?: { store: AssociationStore; types: readonly string[]; collections: Record<ObjectType, ObjectCollection> } | undefined;
  url?: string | undefined;
}

/** The record's page in HubSpot's UI, as 2026-09 answers give it in `url`. */
export function recordUrl(portalId: number, type: ObjectType, id: number): string {
  return `https://app.hubspot.com/contacts/${portalId}/record/${OBJECT_INFO[type].typeId}/${id}`;
}

/** A record renderer for one API version: 2026-09 answers carry `url`, legacy ones do not. */
export function versionRenderer(
  version: ApiVersion,
  type: ObjectType,
  portalId: number,
  defs: () => Map<string, PropertyDefinition>,
): (r: StoredRecord, opts: RenderOptions) => PublicObject {
  return (r, opts) => renderRecord(type, r, version === "2026-09" ? { ...opts, url: recordUrl(portalId, type, r.id) } : opts, defs());
}

export function renderRecord(type: ObjectType, r: StoredRecord, opts: RenderOptions, defs: Map<string, PropertyDefinition>): PublicObject {
  const properties: Record<string, string | null> = {};
  for (const n of opts.names) properties[n] = propertyValue(r, n) ?? null;
  const out: PublicObject = { id: String(r.id), properties, createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt), archived: r.archived };
  if (r.archived) out.archivedAt = iso(r.archivedAt);
  if (opts.url !== undefined) out.url = opts.url;
  if (opts.history && opts.history.length > 0) {
    const h: Record<string, PublicHistoryEntry[]> = {};
    for (const n of opts.history) {
      if (!defs.has(n)) continue;
      // Newest first, as HubSpot returns it.
      h[n] = historyOf(r, n)
        .slice()
        .reverse()
        .map((e) => {
          const x: PublicHistoryEntry = { value: e.value, timestamp: iso(e.timestamp), sourceType: e.sourceType };
          if (e.sourceId !== undefined) x.sourceId = e.sourceId;
          if (e.updatedByUserId !== undefined) x.updatedByUserId = e.updatedByUserId;
          return x;
        });
    }
    out.propertiesWithHistory = h;
  }
  if (opts.associations) {
    const { store, types, collections } = opts.associations;
    const assoc: NonNullable<PublicObject["associations"]> = {};
    for (const raw of types) {
      const to = resolveObjectType(raw);
      if (!to || to === type) continue;
      const results: Array<{ id: string; type: string }> = [];
      for (const toId of store.list(type, r.id, to)) {
        if (!collections[to].get(toId)?.live) continue;
        for (const t of store.typesBetween(type, r.id, to, toId)) results.push({ id: String(toId), type: t.v3Name });
      }
      if (results.length > 0) assoc[to] = { results };
    }
    if (Object.keys(assoc).length > 0) out.associations = assoc;
  }
  return out;
}

/** Every property a record has, for the control API. */
export function renderFull(type: ObjectType, r: StoredRecord, defs: Map<string, PropertyDefinition>): PublicObject {
  const names = [...new Set([...OBJECT_INFO[type].alwaysProperties, ...Object.keys(r.props)])];
  return renderRecord(type, r, { names }, defs);
}
