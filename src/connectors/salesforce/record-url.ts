// "Open in Salesforce" links. recordUrl gets the org id, not the org's My Domain host, so the
// link goes through the production login host with the record's path as `startURL`: Salesforce
// signs the person in (or finds their session) and opens /<record id>, which it redirects to the
// record's Lightning page on the org's own domain. Sandbox records need the sandbox login host,
// which the org id does not tell; decision 0045 records that limit.
import type { RecordObject } from "../../sync/connector.ts";
import { isRecordId } from "./soql.ts";

export const recordLoginHost = "https://login.salesforce.com";

export function recordUrl(orgId: string | null, _object: RecordObject, id: string): string | null {
  if (orgId === null || !isRecordId(id)) return null;
  return `${recordLoginHost}/?startURL=${encodeURIComponent(`/${id}`)}`;
}
