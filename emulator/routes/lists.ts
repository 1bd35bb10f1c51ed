import type { FastifyInstance } from "fastify";
import { API_VERSIONS, endpointKey, listsBase, type ApiVersion } from "../api-versions.ts";
import { iso } from "../clock.ts";
import { EMULATOR_USER_ID } from "../auth.ts";
import { HubSpotError, validationError } from "../errors.ts";
import type { JoinKey, StoredList } from "../lists.ts";
import { route } from "../server.ts";
import type { EmulatorStore } from "../store.ts";
import { body, intParam, query } from "./common.ts";

/** Lists (2026-09 and legacy v3): get, memberships (record-id order, or join order), search, create, delete, add/remove members. */
const READ = ["crm.lists.read", "crm.lists.write"];
const WRITE = ["crm.lists.write"];

export function listJson(l: StoredList): Record<string, unknown> {
  const out: Record<string, unknown> = {
    listId: String(l.listId),
    listVersion: l.listVersion,
    name: l.name,
    objectTypeId: l.objectTypeId,
    processingType: l.processingType,
    processingStatus: "COMPLETE",
    createdAt: iso(l.createdAt),
    updatedAt: iso(l.updatedAt),
    filtersUpdatedAt: iso(l.createdAt),
    createdById: String(EMULATOR_USER_ID),
    updatedById: String(EMULATOR_USER_ID),
    size: l.members.length,
  };
  if (l.deletedAt) out.deletedAt = iso(l.deletedAt);
  return out;
}

/** HubSpot leaves out additional properties that are empty for a list (the spec says so for 2026-09). */
function searchJson(l: StoredList): Record<string, unknown> {
  const { size, ...rest } = listJson(l);
  const last = Math.max(0, ...[...l.joinedAt.values()].slice(-1000));
  const additionalProperties: Record<string, string> = { hs_list_size: String(size), hs_list_reference_count: "0" };
  if (last) additionalProperties.hs_last_record_added_at = String(last);
  return { ...rest, additionalProperties };
}

interface ListSearchBody {
  query?: string;
  listIds?: string[];
  offset?: number;
  count?: number;
  processingTypes?: string[];
  additionalProperties?: string[];
}

/** 2026-09 made listIds, processingTypes, offset and additionalProperties required (send [] / 0 when unused). */
const SEARCH_REQUIRED = ["listIds", "processingTypes", "offset", "additionalProperties"] as const;

function checkSearchBody(b: ListSearchBody): void {
  const missing = SEARCH_REQUIRED.filter((k) => b[k] === undefined || b[k] === null);
  if (missing.length === 0) return;
  throw validationError(`Invalid input JSON: Cannot build ListSearchRequest, some of required attributes are not set [${missing.join(", ")}]`, {
    errors: missing.map((name) => ({ message: `${name} is required`, in: name, code: "REQUIRED" })),
  });
}

/** Join-order paging tokens are opaque to clients, as HubSpot's are; here they hold a position, not an offset. */
function joinToken(l: StoredList, id: number): string {
  return Buffer.from(`${l.joinedAt.get(id)}:${id}`).toString("base64url");
}

function joinKey(raw: unknown, name: string): JoinKey | undefined {
  if (raw === undefined || raw === "") return undefined;
  const m = /^(\d+):(\d+)$/.exec(Buffer.from(String(raw), "base64url").toString());
  if (!m) throw validationError(`Invalid ${name}: ${String(raw)}`);
  return { at: Number(m[1]), id: Number(m[2]) };
}

function listNotFound(id: string): HubSpotError {
  return new HubSpotError(404, "OBJECT_NOT_FOUND", `List does not exist with id ${id}`);
}

export function registerListRoutes(app: FastifyInstance, store: EmulatorStore): void {
  for (const version of API_VERSIONS) registerVersion(app, store, version);
}

function registerVersion(app: FastifyInstance, store: EmulatorStore, version: ApiVersion): void {
  const base = listsBase(version);
  const key = (name: string): string => endpointKey(version, name);
  const requireList = (raw: string): StoredList => {
    const l = /^\d+$/.test(raw) ? store.lists.get(Number(raw)) : undefined;
    if (!l) throw listNotFound(raw);
    return l;
  };

  app.get(`${base}/:listId`, route({ endpoint: key("lists.get"), scopes: READ }), async (req) => {
    return { list: listJson(requireList((req.params as { listId: string }).listId)) };
  });

  app.get(base, route({ endpoint: key("lists.getAll"), scopes: READ }), async (req) => {
    const raw = query(req).listIds;
    const ids = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).flatMap((x) => String(x).split(","));
    const lists = ids.map((id) => store.lists.get(Number(id))).filter((l): l is StoredList => l !== undefined);
    return { lists: lists.map(listJson) };
  });

  app.get(
    `${base}/object-type-id/:objectTypeId/name/:listName`,
    route({ endpoint: key("lists.getByName"), scopes: READ }),
    async (req) => {
      const p = req.params as { objectTypeId: string; listName: string };
      const l = store.lists.findByName(p.objectTypeId, p.listName);
      if (!l) throw listNotFound(p.listName);
      return { list: listJson(l) };
    },
  );

  app.get(`${base}/:listId/memberships`, route({ endpoint: key("lists.memberships"), scopes: READ }), async (req) => {
    const l = requireList((req.params as { listId: string }).listId);
    const q = query(req);
    const limit = intParam(q.limit, "limit", 100, 250);
    const cursor = (raw: unknown, name: string): number | undefined => {
      if (raw === undefined || raw === "") return undefined;
      const n = Number(raw);
      if (!Number.isSafeInteger(n)) throw validationError(`Invalid ${name}: ${String(raw)}`);
      return n;
    };
    const after = cursor(q.after, "after");
    const before = cursor(q.before, "before");
    const backward = before !== undefined && after === undefined;
    const got = backward ? store.lists.pageBefore(l, before, limit) : store.lists.page(l, after ?? 0, limit);
    const results = got.items.map((id) => ({ recordId: String(id), membershipTimestamp: iso(l.joinedAt.get(id) ?? l.createdAt) }));
    const paging: { next?: { after: string }; prev?: { before: string } } = {};
    const first = got.items[0];
    const last = got.items[got.items.length - 1];
    const maxMember = l.members[l.members.length - 1];
    const hasNext = backward ? last !== undefined && maxMember !== undefined && maxMember > last : got.more;
    const hasPrev = backward ? got.more : after !== undefined && first !== undefined && l.members[0] !== first;
    if (hasNext && last !== undefined) paging.next = { after: String(last) };
    if (hasPrev && first !== undefined) paging.prev = { before: String(first) };
    const out: { results: typeof results; total: number; paging?: typeof paging } = { results, total: l.members.length };
    if (paging.next || paging.prev) out.paging = paging;
    return out;
  });

  // Ascending join time after `after` or from the start; with only `before`, descending from it
  // (HubSpot's reference for this endpoint).
  app.get(`${base}/:listId/memberships/join-order`, route({ endpoint: key("lists.memberships.joinOrder"), scopes: READ }), async (req) => {
    const l = requireList((req.params as { listId: string }).listId);
    const q = query(req);
    const limit = intParam(q.limit, "limit", 100, 250);
    const after = joinKey(q.after, "after");
    const before = joinKey(q.before, "before");
    const backward = before !== undefined && after === undefined;
    const got = store.lists.pageByJoin(l, backward ? before : (after ?? null), limit, backward);
    const results = got.items.map((id) => ({ recordId: String(id), membershipTimestamp: iso(l.joinedAt.get(id)!) }));
    const first = got.items[0];
    const last = got.items[got.items.length - 1];
    const paging: { next?: { after: string }; prev?: { before: string } } = {};
    if (backward) {
      if (got.more && last !== undefined) paging.prev = { before: joinToken(l, last) };
      if (first !== undefined && store.lists.pageByJoin(l, { at: l.joinedAt.get(first)!, id: first }, 1, false).items.length > 0) paging.next = { after: joinToken(l, first) };
    } else {
      if (got.more && last !== undefined) paging.next = { after: joinToken(l, last) };
      if (first !== undefined && store.lists.pageByJoin(l, { at: l.joinedAt.get(first)!, id: first }, 1, true).items.length > 0) paging.prev = { before: joinToken(l, first) };
    }
    const out: { results: typeof results; total: number; paging?: typeof paging } = { results, total: l.members.length };
    if (paging.next || paging.prev) out.paging = paging;
    return out;
  });

  app.post(`${base}/search`, route({ endpoint: key("lists.search"), scopes: READ }), async (req) => {
    const b = body<ListSearchBody>(req);
    if (version === "2026-09") checkSearchBody(b);
    const offset = b.offset ?? 0;
    const count = Math.min(b.count ?? 20, 500);
    const q = (b.query ?? "").toLowerCase();
    // An empty listIds or processingTypes means "no filter", as the spec says.
    const ids = b.listIds && b.listIds.length > 0 ? new Set(b.listIds.map(String)) : undefined;
    const types = b.processingTypes && b.processingTypes.length > 0 ? b.processingTypes : undefined;
    const all = [...store.lists.lists.values()].filter(
      (l) =>
        l.deletedAt === 0 &&
        (!q || l.name.toLowerCase().includes(q)) &&
        (!ids || ids.has(String(l.listId))) &&
        (!types || types.includes(l.processingType)),
    );
    const slice = all.slice(offset, offset + count);
    return { lists: slice.map(searchJson), offset: offset + slice.length, hasMore: offset + slice.length < all.length, total: all.length };
  });

  app.post(base, route({ endpoint: key("lists.create"), scopes: WRITE }), async (req) => {
    const b = body<{ name?: string; objectTypeId?: string; processingType?: string }>(req);
    if (!b.name || !b.objectTypeId || !b.processingType) throw validationError("Invalid input JSON: name, objectTypeId and processingType are required");
    if (store.lists.findByName(b.objectTypeId, b.name)) throw new HubSpotError(409, "CONFLICT", `A list named "${b.name}" already exists.`);
    const pt = b.processingType === "DYNAMIC" || b.processingType === "SNAPSHOT" ? b.processingType : "MANUAL";
    return { list: listJson(store.lists.create({ name: b.name, objectTypeId: b.objectTypeId, processingType: pt }, store.now())) };
  });

  app.delete(`${base}/:listId`, route({ endpoint: key("lists.delete"), scopes: WRITE }), async (req, reply) => {
    const l = requireList((req.params as { listId: string }).listId);
    store.lists.delete(l.listId, store.now());
    return reply.code(204).send();
  });

  const memberIds = (raw: unknown): number[] => {
    if (!Array.isArray(raw)) throw validationError("Invalid input JSON: expected an array of record ids");
    return raw.map((x) => Number(x)).filter((n) => Number.isSafeInteger(n));
  };

  app.put(`${base}/:listId/memberships/add`, route({ endpoint: key("lists.memberships.add"), scopes: WRITE }), async (req) => {
    const l = requireList((req.params as { listId: string }).listId);
    const ids = memberIds(req.body);
    const known = ids.filter((id) => store.objects.contacts.get(id) ?? store.objects.companies.get(id) ?? store.objects.deals.get(id));
    const added = store.lists.addMembers(l, known, store.now());
    // "recordsIdsAdded" (sic) is the name HubSpot and its SDK use.
    return { recordsIdsAdded: added.map(String), recordIdsRemoved: [], recordIdsMissing: ids.filter((i) => !known.includes(i)).map(String) };
  });

  app.put(`${base}/:listId/memberships/remove`, route({ endpoint: key("lists.memberships.remove"), scopes: WRITE }), async (req) => {
    const l = requireList((req.params as { listId: string }).listId);
    const ids = memberIds(req.body);
    const removed = store.lists.removeMembers(l, ids, store.now());
    // The spec's MembershipsUpdateResponse has all three arrays on both answers.
    return { recordsIdsAdded: [], recordIdsRemoved: removed.map(String), recordIdsMissing: ids.filter((i) => !removed.includes(i)).map(String) };
  });
}
