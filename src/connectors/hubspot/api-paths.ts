// Every HubSpot path crmsync calls, built from the one date-based version it speaks. HubSpot puts
// the version after the API name (`/crm/objects/2026-09/contacts`), so moving to the next
// version is a change of `apiVersion` here and nothing else.
import type { ObjectType } from "./types.ts";

/** HubSpot's date-based API version for CRM and account calls (GA 2026-09-08, supported 18 months). */
export const apiVersion = "2026-09";

/**
 * OAuth stays on 2026-03: its token endpoint is the one whose spec lists every grant crmsync may
 * need (2026-09's pre-GA spec dropped client_credentials), and v1 OAuth ends on 2027-02-16.
 */
export const oauthVersion = "2026-03";

const id = (value: string): string => encodeURIComponent(value);

export const hubspotPaths = {
  objects: (type: ObjectType): string => `/crm/objects/${apiVersion}/${type}`,
  object: (type: ObjectType, objectId: string): string => `/crm/objects/${apiVersion}/${type}/${id(objectId)}`,
  search: (type: ObjectType): string => `/crm/objects/${apiVersion}/${type}/search`,
  batch: (type: ObjectType, action: "read" | "create" | "update" | "upsert"): string => `/crm/objects/${apiVersion}/${type}/batch/${action}`,
  merge: (type: ObjectType): string => `/crm/objects/${apiVersion}/${type}/merge`,
  associationsBatchRead: (from: ObjectType, to: ObjectType): string => `/crm/associations/${apiVersion}/${from}/${to}/batch/read`,
  properties: (type: ObjectType): string => `/crm/properties/${apiVersion}/${type}`,
  property: (type: ObjectType, name: string): string => `/crm/properties/${apiVersion}/${type}/${id(name)}`,
  list: (listId: string): string => `/crm/lists/${apiVersion}/${id(listId)}`,
  listMemberships: (listId: string): string => `/crm/lists/${apiVersion}/${id(listId)}/memberships`,
  listMembershipsByJoin: (listId: string): string => `/crm/lists/${apiVersion}/${id(listId)}/memberships/join-order`,
  listSearch: (): string => `/crm/lists/${apiVersion}/search`,
  accountDetails: (): string => `/account-info/${apiVersion}/details`,
  oauthToken: (): string => `/oauth/${oauthVersion}/token`,
  oauthIntrospect: (): string => `/oauth/${oauthVersion}/token/introspect`,
  oauthRevoke: (): string => `/oauth/${oauthVersion}/token/revoke`,
} as const;
