// crmsync's typed HubSpot client: paging as async iterables, batches at HubSpot's maxima.
import { z } from "zod";
import { HubSpotError, isHubSpotError } from "./errors.ts";
import type { HubSpotProperty } from "./property-types.ts";
import {
  asList,
  asMembership,
  asProperty,
  associationBatchSchema,
  accountDetailsSchema,
  batchSchema,
  listEnvelopeSchema,
  listSchema,
  membershipsSchema,
  nextAfter,
  pageSchema,
  parse,
  parseRecordPage,
  propertiesSchema,
  propertySchema,
  recordSchema,
  searchSchema,
  toAssociated,
  toBatchErrors,
  toRecord,
} from "./schemas.ts";
import { windowedSearch } from "./search-window.ts";
import type { ModifiedCursor, WindowedPage } from "./search-window.ts";
import { createTransport } from "./transport.ts";
import type { RequestSpec, Transport, TransportOptions } from "./transport.ts";
import { hubspotPaths } from "./api-paths.ts";
import { lastModifiedProperty } from "./types.ts";
import type {
  AccountDetails,
  AssociatedObject,
  AssociationBatchResult,
  BatchCreateInput,
  BatchInputError,
  BatchResult,
  BatchUpdateInput,
  BatchUpsertInput,
  FilterGroup,
  HubSpotList,
  HubSpotRecord,
  MembershipOptions,
  MembershipPage,
  ObjectType,
  Page,
  SearchResponse,
  SearchSort,
  UpsertedRecord,
} from "./types.ts";

/** HubSpot's documented maxima. */
export const limits = {
  listPage: 100,
  searchPage: 200,
  searchResults: 10_000,
  batch: 100,
  batchWithHistory: 50,
  associationsBatch: 1_000,
  associationsPage: 500,
  listMembershipsPage: 250,
} as const;

export interface HubSpotClientOptions extends TransportOptions {
  auth: NonNullable<TransportOptions["auth"]>;
}

export interface ListObjectsOptions {
  properties: readonly string[];
  associations?: readonly ObjectType[] | undefined;
  pageSize?: number | undefined;
  /** Resume from a cursor a previous page returned. */
  after?: string | undefined;
  archived?: boolean | undefined;
  signal?: AbortSignal | undefined;
}

export interface SearchOptions {
  filterGroups?: FilterGroup[] | undefined;
  sorts?: SearchSort[] | undefined;
  query?: string | undefined;
  properties: readonly string[];
  limit?: number | undefined;
  after?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface ModifiedSinceOptions {
  property?: "hs_lastmodifieddate" | "lastmodifieddate" | undefined;
  /** Inclusive lower bound, epoch ms. */
  since: number;
  /** Inclusive upper bound, epoch ms. Set it a little in the past: search indexes changes with a delay. */
  until?: number | undefined;
  properties: readonly string[];
  pageSize?: number | undefined;
  /** A cursor from a previous page, to resume an interrupted read. */
  resume?: ModifiedCursor | undefined;
  signal?: AbortSignal | undefined;
}

export interface BatchReadOptions {
  properties: readonly string[];
  propertiesWithHistory?: readonly string[] | undefined;
  idProperty?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface GetObjectOptions {
  properties?: readonly string[] | undefined;
  associations?: readonly ObjectType[] | undefined;
  idProperty?: string | undefined;
}

export interface HubSpotClient {
  readonly transport: Transport;
  listObjects(type: ObjectType, options: ListObjectsOptions): AsyncIterable<Page<HubSpotRecord>>;
  searchObjects(type: ObjectType, options: SearchOptions): Promise<SearchResponse>;
  searchModifiedSince(type: ObjectType, options: ModifiedSinceOptions): AsyncIterable<WindowedPage>;
  batchRead(type: ObjectType, ids: readonly string[], options: BatchReadOptions): Promise<BatchResult<HubSpotRecord>>;
  batchCreate(type: ObjectType, inputs: readonly BatchCreateInput[]): Promise<BatchResult<HubSpotRecord>>;
  batchUpdate(type: ObjectType, inputs: readonly BatchUpdateInput[]): Promise<BatchResult<HubSpotRecord>>;
  batchUpsert(type: ObjectType, inputs: readonly BatchUpsertInput[]): Promise<BatchResult<UpsertedRecord>>;
  /** null when the record does not exist (or was archived). */
  getObject(type: ObjectType, id: string, options?: GetObjectOptions): Promise<HubSpotRecord | null>;
  /** Merges `mergeId` into `primaryId`; returns the surviving record. */
  mergeContacts(primaryId: string, mergeId: string): Promise<HubSpotRecord>;
  batchReadAssociations(from: ObjectType, to: ObjectType, ids: readonly string[]): Promise<AssociationBatchResult>;
  listAssociations(from: ObjectType, id: string, to: ObjectType): Promise<AssociatedObject[]>;
  listProperties(type: ObjectType): Promise<HubSpotProperty[]>;
  getProperty(type: ObjectType, name: string): Promise<HubSpotProperty | null>;
  getList(listId: string): Promise<HubSpotList | null>;
  listMemberships(listId: string, options?: MembershipOptions): AsyncIterable<MembershipPage>;
  /** Lists of every object type whose name contains `query` (all when empty), page by page; `size` filled from the list's size property. */
  searchLists(options?: ListSearchOptions): AsyncIterable<ListSearchPage>;
  /** The portal the credentials belong to (its real id), and its time zone and UI domain. */
  getAccountDetails(): Promise<AccountDetails>;
}

export interface ListSearchOptions {
  query?: string | undefined;
  /** Resume at this offset (a previous page's `nextOffset`). */
  offset?: number | undefined;
  /** Lists a page, at most 500. */
  pageSize?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** One page of the list search; `nextOffset` is absent on the last page. */
export interface ListSearchPage {
  results: HubSpotList[];
  nextOffset?: number | undefined;
  total?: number | undefined;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

/** Null for a 404, the error otherwise. */
async function orNull<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (isHubSpotError(error, "not_found")) return null;
    throw error;
  }
}

/** HubSpot refuses a whole batch for one bad input (400, or 409 on a duplicate): report it against every input of the chunk. */
function chunkRefused(error: HubSpotError, ids: string[], offset: number, size: number): BatchInputError {
  return {
    status: "error",
    category: error.category ?? error.kind.toUpperCase(),
    message: error.message,
    ids,
    ...(error.details.length === 0 ? {} : { details: error.details }),
    inputIndexes: Array.from({ length: size }, (_, i) => offset + i),
  };
}

export function createHubSpotClient(options: HubSpotClientOptions): HubSpotClient {
  const transport = createTransport(options);

  async function call<T>(spec: RequestSpec): Promise<{ status: number; body: T }> {
    const response = await transport.request<unknown>(spec);
    return { status: response.status, body: response.body as T };
  }

  async function* listObjects(type: ObjectType, o: ListObjectsOptions): AsyncGenerator<Page<HubSpotRecord>> {
    const endpoint = `${type}.list`;
    let after = o.after;
    do {
      const { status, body } = await call<unknown>({
        endpoint,
        method: "GET",
        path: hubspotPaths.objects(type),
        query: {
          limit: Math.min(o.pageSize ?? limits.listPage, limits.listPage),
          after,
          properties: o.properties,
          associations: o.associations,
          archived: o.archived,
        },
        signal: o.signal,
      });
      const page = parseRecordPage(pageSchema, body, endpoint, status);
      after = nextAfter(page.paging);
      yield { results: page.results.map(toRecord), nextAfter: after };
    } while (after !== undefined);
  }

  async function searchObjects(type: ObjectType, o: SearchOptions): Promise<SearchResponse> {
    const endpoint = `${type}.search`;
    const { status, body } = await call<unknown>({
      endpoint,
      method: "POST",
      path: hubspotPaths.search(type),
      budget: "search",
      json: {
        filterGroups: o.filterGroups ?? [],
        sorts: o.sorts ?? [],
        ...(o.query === undefined ? {} : { query: o.query }),
        properties: o.properties,
        limit: Math.min(o.limit ?? limits.searchPage, limits.searchPage),
        ...(o.after === undefined ? {} : { after: o.after }),
      },
      signal: o.signal,
    });
    const page = parseRecordPage(searchSchema, body, endpoint, status);
    return { total: page.total, results: page.results.map(toRecord), nextAfter: nextAfter(page.paging) };
  }

  function searchModifiedSince(type: ObjectType, o: ModifiedSinceOptions): AsyncIterable<WindowedPage> {
    const property = o.property ?? lastModifiedProperty[type];
    const properties = unique([...o.properties, property, "hs_object_id"]);
    const spec = { property, until: o.until, pageSize: Math.min(o.pageSize ?? limits.searchPage, limits.searchPage) };
    const search = async (request: { filterGroups: FilterGroup[]; sorts: SearchSort[]; limit: number }): Promise<HubSpotRecord[]> =>
      (await searchObjects(type, { ...request, properties, signal: o.signal })).results;
    return windowedSearch(search, o.resume ?? { since: o.since }, spec);
  }

  async function batchRead(type: ObjectType, ids: readonly string[], o: BatchReadOptions): Promise<BatchResult<HubSpotRecord>> {
    const endpoint = `${type}.batch.read`;
    const withHistory = o.propertiesWithHistory !== undefined && o.propertiesWithHistory.length > 0;
    const out: BatchResult<HubSpotRecord> = { results: [], errors: [] };
    for (const part of chunk(unique(ids), withHistory ? limits.batchWithHistory : limits.batch)) {
      const { status, body } = await call<unknown>({
        endpoint,
        method: "POST",
        path: hubspotPaths.batch(type, "read"),
        json: {
          inputs: part.map((id) => ({ id })),
          properties: o.properties,
          ...(withHistory ? { propertiesWithHistory: o.propertiesWithHistory } : {}),
          ...(o.idProperty === undefined ? {} : { idProperty: o.idProperty }),
        },
        signal: o.signal,
      });
      const parsed = parse(batchSchema, body, endpoint, status);
      out.results.push(...parsed.results.map(toRecord));
      out.errors.push(...toBatchErrors(parsed.errors));
    }
    return out;
  }

  async function batchWrite<I, R extends HubSpotRecord>(
    type: ObjectType,
    action: "create" | "update" | "upsert",
    inputs: readonly I[],
    idOf: (input: I) => string | undefined,
  ): Promise<BatchResult<R>> {
    const endpoint = `${type}.batch.${action}`;
    const out: BatchResult<R> = { results: [], errors: [] };
    let offset = 0;
    for (const part of chunk(inputs, limits.batch)) {
      try {
        const { status, body } = await call<unknown>({ endpoint, method: "POST", path: hubspotPaths.batch(type, action), json: { inputs: part } });
        const parsed = parse(batchSchema, body, endpoint, status);
        out.results.push(...(parsed.results as R[]));
        out.errors.push(...toBatchErrors(parsed.errors));
      } catch (error) {
        if (!isHubSpotError(error) || (error.kind !== "bad_request" && error.kind !== "conflict")) throw error;
        const ids = part.map(idOf).filter((id): id is string => id !== undefined);
        out.errors.push(chunkRefused(error, ids, offset, part.length));
      }
      offset += part.length;
    }
    return out;
  }

  async function getObject(type: ObjectType, id: string, o: GetObjectOptions = {}): Promise<HubSpotRecord | null> {
    const endpoint = `${type}.get`;
    return orNull(
      call<unknown>({
        endpoint,
        method: "GET",
        path: hubspotPaths.object(type, id),
        query: { properties: o.properties, associations: o.associations, idProperty: o.idProperty },
      }).then(({ status, body }) => toRecord(parse(recordSchema, body, endpoint, status))),
    );
  }

  async function mergeContacts(primaryId: string, mergeId: string): Promise<HubSpotRecord> {
    const endpoint = "contacts.merge";
    const { status, body } = await call<unknown>({
      endpoint,
      method: "POST",
      path: hubspotPaths.merge("contacts"),
      json: { primaryObjectId: primaryId, objectIdToMerge: mergeId },
    });
    return toRecord(parse(recordSchema, body, endpoint, status));
  }

  async function batchReadAssociations(from: ObjectType, to: ObjectType, ids: readonly string[]): Promise<AssociationBatchResult> {
    const endpoint = "associations.batch.read";
    const byId = new Map<string, AssociatedObject[]>();
    const errors: BatchInputError[] = [];
    for (const id of ids) byId.set(id, []);
    // Inputs still to read: first every id, then only those whose associations ran past one page.
    let pending: Array<{ id: string; after?: string }> = [...byId.keys()].map((id) => ({ id }));
    while (pending.length > 0) {
      const more: Array<{ id: string; after: string }> = [];
      for (const part of chunk(pending, limits.associationsBatch)) {
        const { status, body } = await call<unknown>({ endpoint, method: "POST", path: hubspotPaths.associationsBatchRead(from, to), json: { inputs: part } });
        const parsed = parse(associationBatchSchema, body, endpoint, status);
        for (const result of parsed.results) {
          const list = byId.get(result.from.id) ?? [];
          list.push(...result.to.map(toAssociated));
          byId.set(result.from.id, list);
          const after = nextAfter(result.paging);
          if (after !== undefined) more.push({ id: result.from.id, after });
        }
        // "No associations found" is an answer (an empty list), not a failure.
        errors.push(...toBatchErrors((parsed.errors ?? []).filter((e) => e.subCategory !== "crm.associations.NO_ASSOCIATIONS_FOUND")));
      }
      pending = more;
    }
    return { byId, errors };
  }

  /**
   * One record's associations. 2026-09 has no per-record association GET, so this is the batch
   * read with one input, every page of it followed.
   */
  async function listAssociations(from: ObjectType, id: string, to: ObjectType): Promise<AssociatedObject[]> {
    const result = await batchReadAssociations(from, to, [id]);
    const [error] = result.errors;
    if (error !== undefined) {
      throw new HubSpotError({ kind: error.category === "OBJECT_NOT_FOUND" ? "not_found" : "bad_request", status: 207, endpoint: "associations.batch.read", message: error.message, category: error.category });
    }
    return result.byId.get(id) ?? [];
  }

  async function listProperties(type: ObjectType): Promise<HubSpotProperty[]> {
    const endpoint = `properties.${type}.list`;
    const { status, body } = await call<unknown>({ endpoint, method: "GET", path: hubspotPaths.properties(type) });
    return parse(propertiesSchema, body, endpoint, status).results.map(asProperty);
  }

  function getProperty(type: ObjectType, name: string): Promise<HubSpotProperty | null> {
    const endpoint = `properties.${type}.get`;
    return orNull(
      call<unknown>({ endpoint, method: "GET", path: hubspotPaths.property(type, name) }).then(({ status, body }) =>
        asProperty(parse(propertySchema, body, endpoint, status)),
      ),
    );
  }

  function getList(listId: string): Promise<HubSpotList | null> {
    const endpoint = "lists.get";
    return orNull(
      call<unknown>({ endpoint, method: "GET", path: hubspotPaths.list(listId) }).then(({ status, body }) =>
        asList(parse(listEnvelopeSchema, body, endpoint, status)),
      ),
    );
  }

  async function* listMemberships(listId: string, o: MembershipOptions = {}): AsyncGenerator<MembershipPage> {
    const joined = o.order === "joined";
    const endpoint = joined ? "lists.memberships.joinOrder" : "lists.memberships";
    let after = o.after;
    do {
      const requestedAfter = after;
      const { status, body } = await call<unknown>({
        endpoint,
        method: "GET",
        path: joined ? hubspotPaths.listMembershipsByJoin(listId) : hubspotPaths.listMemberships(listId),
        query: { limit: Math.min(o.pageSize ?? limits.listMembershipsPage, limits.listMembershipsPage), after },
      });
      const page = parse(membershipsSchema, body, endpoint, status);
      after = nextAfter(page.paging);
      yield { results: page.results.map(asMembership), nextAfter: after, requestedAfter };
    } while (after !== undefined);
  }

  async function* searchLists(o: ListSearchOptions = {}): AsyncGenerator<ListSearchPage> {
    const endpoint = "lists.search";
    const maxPage = 500;
    const answer = z.looseObject({ lists: z.array(listSchema), offset: z.number().optional(), hasMore: z.boolean().optional(), total: z.number().optional() });
    // The search answers the size as the string property hs_list_size; GET answers it as `size`.
    const sizeOf = (list: HubSpotList): number | undefined => {
      if (typeof list.size === "number") return list.size;
      const extra = list["additionalProperties"];
      const raw = extra !== null && typeof extra === "object" ? (extra as Record<string, unknown>)["hs_list_size"] : undefined;
      const n = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : typeof raw === "number" ? raw : Number.NaN;
      return Number.isFinite(n) ? n : undefined;
    };
    let offset = o.offset ?? 0;
    for (;;) {
      const { status, body } = await call<unknown>({
        endpoint,
        method: "POST",
        path: hubspotPaths.listSearch(),
        // 2026-09 requires listIds, processingTypes, offset and additionalProperties; empty lists filter nothing.
        json: { query: o.query ?? "", listIds: [], processingTypes: [], offset, count: Math.min(o.pageSize ?? maxPage, maxPage), additionalProperties: ["hs_list_size"] },
        signal: o.signal,
      });
      const page = parse(answer, body, endpoint, status);
      const next = page.offset ?? offset + page.lists.length;
      // Only a page that moved the offset forward can be followed.
      const more = page.hasMore === true && page.lists.length > 0 && next > offset;
      const results = page.lists.map((l) => {
        const list = asList(l);
        const size = sizeOf(list);
        return size === undefined ? list : { ...list, size };
      });
      yield { results, ...(more ? { nextOffset: next } : {}), ...(page.total === undefined ? {} : { total: page.total }) };
      if (!more) return;
      offset = next;
    }
  }

  async function getAccountDetails(): Promise<AccountDetails> {
    const endpoint = "accountInfo.details";
    const { status, body } = await call<unknown>({ endpoint, method: "GET", path: hubspotPaths.accountDetails() });
    const parsed = parse(accountDetailsSchema, body, endpoint, status);
    return { ...parsed, portalId: String(parsed.portalId) };
  }

  return {
    transport,
    listObjects,
    searchObjects,
    searchModifiedSince,
    batchRead,
    batchCreate: (type, inputs) => batchWrite(type, "create", inputs, () => undefined),
    batchUpdate: (type, inputs) => batchWrite(type, "update", inputs, (i) => i.id),
    batchUpsert: (type, inputs) => batchWrite(type, "upsert", inputs, (i) => i.id),
    getObject,
    mergeContacts,
    batchReadAssociations,
    listAssociations,
    listProperties,
    getProperty,
    getList,
    listMemberships,
    searchLists,
    getAccountDetails,
  };
}

export { HubSpotError };
