// The HubSpot shapes crmsync reads and writes, and the call counter a run owns.
import type { HubSpotProperty } from "./property-types.ts";

export type { HubSpotProperty };

export type ObjectType = "companies" | "deals" | "contacts";
export const objectTypes: readonly ObjectType[] = ["companies", "deals", "contacts"];

/** The property that tracks a record's last change: contacts have no `hs_` prefix. */
export const lastModifiedProperty: Record<ObjectType, "hs_lastmodifieddate" | "lastmodifieddate"> = {
  companies: "hs_lastmodifieddate",
  deals: "hs_lastmodifieddate",
  contacts: "lastmodifieddate",
};

export interface PropertyHistoryEntry {
  value: string;
  timestamp: string;
  sourceType: string;
  sourceId?: string | undefined;
  sourceLabel?: string | undefined;
  updatedByUserId?: number | undefined;
}

export interface RecordAssociations {
  results: Array<{ id: string; type: string }>;
  paging?: { next?: { after: string; link?: string | undefined } | undefined } | undefined;
}

export interface HubSpotRecord {
  id: string;
  /** Values are strings; a requested property without a value is null. */
  properties: Record<string, string | null>;
  propertiesWithHistory?: Record<string, PropertyHistoryEntry[]> | undefined;
  createdAt: string;
  updatedAt: string;
  archived?: boolean | undefined;
  archivedAt?: string | undefined;
  associations?: Record<string, RecordAssociations> | undefined;
}

/** One page of a paged read; `nextAfter` is the cursor to resume from, absent on the last page. */
export interface Page<T> {
  results: T[];
  nextAfter?: string | undefined;
}

export interface SearchResponse {
  total: number;
  results: HubSpotRecord[];
  nextAfter?: string | undefined;
}

export type FilterOperator =
  | "EQ"
  | "NEQ"
  | "LT"
  | "LTE"
  | "GT"
  | "GTE"
  | "BETWEEN"
  | "IN"
  | "NOT_IN"
  | "HAS_PROPERTY"
  | "NOT_HAS_PROPERTY"
  | "CONTAINS_TOKEN"
  | "NOT_CONTAINS_TOKEN";

export interface SearchFilter {
  propertyName: string;
  operator: FilterOperator;
  value?: string | undefined;
  values?: string[] | undefined;
  highValue?: string | undefined;
}

export interface FilterGroup {
  filters: SearchFilter[];
}

export interface SearchSort {
  propertyName: string;
  direction: "ASCENDING" | "DESCENDING";
}

/** One input's failure inside a batch answered with 207 (or a whole-batch failure spread over its inputs). */
export interface BatchInputError {
  status: string;
  category: string;
  message: string;
  /** The ids or idProperty values HubSpot names in the error's context, when it names them. */
  ids: string[];
  context?: Record<string, string[]> | undefined;
  /** HubSpot's `errors[]`: which property (`in`) and why, for validation-rule refusals. */
  details?: ErrorDetail[] | undefined;
  /** Positions in the caller's inputs, when a whole chunk was refused (create inputs have no id). */
  inputIndexes?: number[] | undefined;
}

export interface BatchResult<T> {
  results: T[];
  errors: BatchInputError[];
}

export interface UpsertedRecord extends HubSpotRecord {
  new?: boolean | undefined;
}

export interface BatchCreateInput {
  properties: Record<string, string>;
  associations?: Array<{
    to: { id: string };
    types: Array<{ associationCategory: string; associationTypeId: number }>;
  }> | undefined;
}

export interface BatchUpdateInput {
  id: string;
  idProperty?: string | undefined;
  properties: Record<string, string>;
}

export interface BatchUpsertInput {
  id: string;
  idProperty: string;
  properties: Record<string, string>;
}

export interface AssociationType {
  category: string;
  typeId: number;
  label: string | null;
}

export interface AssociatedObject {
  toObjectId: string;
  associationTypes: AssociationType[];
}

export interface AssociationBatchResult {
  /** Every association of each input id, all of its pages followed. */
  byId: Map<string, AssociatedObject[]>;
  errors: BatchInputError[];
}

export interface HubSpotList {
  listId: string;
  name: string;
  objectTypeId?: string | undefined;
  processingType?: string | undefined;
  size?: number | undefined;
  [key: string]: unknown;
}

export interface ListMembership {
  recordId: string;
  membershipTimestamp?: string | undefined;
}

/** A memberships page and the cursor that asked for it (none for the first page). */
export interface MembershipPage extends Page<ListMembership> {
  requestedAfter?: string | undefined;
}

export interface MembershipOptions {
  after?: string | undefined;
  pageSize?: number | undefined;
  /** Record-id order (the default), or the order members joined the list, oldest first. */
  order?: "recordId" | "joined" | undefined;
}

/** What HubSpot's token introspection says about an OAuth access token. */
export interface AccessTokenInfo {
  scopes: string[];
  hub_id: number;
  app_id?: number | undefined;
  client_id?: string | undefined;
  hub_domain?: string | undefined;
  user?: string | undefined;
  user_id?: number | undefined;
  expires_in?: number | undefined;
  token_type?: string | undefined;
}

/** `GET /account-info/{version}/details`: the portal a token or key belongs to. */
export interface AccountDetails {
  /** HubSpot's portal (hub) id, as a string like every id crmsync keeps. */
  portalId: string;
  accountType?: string | undefined;
  timeZone?: string | undefined;
  uiDomain?: string | undefined;
  dataHostingLocation?: string | undefined;
}

/** One entry of a HubSpot error's `errors[]`. */
export interface ErrorDetail {
  message: string;
  /** The property or parameter the error is about. */
  in?: string | undefined;
  code?: string | undefined;
}

/**
 * Counts HTTP requests per endpoint key. The caller owns it (a sync run records the calls it
 * spent); every attempt counts, retries included, because every attempt spends API budget.
 */
export class CallCounter {
  private readonly counts = new Map<string, number>();
  /** Calls that waited for budget, and how long in all. */
  waits = 0;
  waitedMs = 0;

  record(endpoint: string): void {
    this.counts.set(endpoint, (this.counts.get(endpoint) ?? 0) + 1);
  }

  recordWait(ms: number): void {
    this.waits++;
    this.waitedMs += ms;
  }

  get(endpoint: string): number {
    return this.counts.get(endpoint) ?? 0;
  }

  get total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}
