import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, startEmulator, type RunningEmulator } from "../index.ts";
import { api, control, type ApiResult } from "./helpers.ts";

/**
 * Every emulator answer crmsync relies on, success and error, checked against HubSpot's own
 * OpenAPI files for 2026-09 (and 2026-03 for OAuth), which CI keeps beside the repository in
 * shared/reference/hubspot-openapi. $refs resolve inside each file's components.
 *
 * Two deliberate adjustments, both narrower than the spec, never looser where it matters:
 * - The shapes 2026-09 changed by removing fields (records lost `warnings`, association types
 *   lost `fromObjectTypeId`/`toObjectTypeId`) and the OAuth, property, list and account
 *   answers are closed (`additionalProperties: false`), so a field the spec does not define
 *   fails the test instead of passing unnoticed.
 * - `StandardError.subCategory` is typed `object` in the spec, but HubSpot sends a string
 *   (e.g. "crm.associations.NO_ASSOCIATIONS_FOUND", recorded in shared/reference); it is
 *   checked as a string, as `Error.subCategory` already is.
 */
// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule.default;

const SPEC_DIR = new URL("../../../shared/reference/hubspot-openapi/", import.meta.url);

const CLOSED = [
  "SimplePublicObject",
  "SimplePublicObjectWithAssociations",
  "SimplePublicUpsertObject",
  "AssociationSpecWithLabel",
  "MultiAssociatedObjectWithLabel",
  "PublicAssociationMultiWithLabel",
  "LabelsBetweenObjectPair",
  "Property",
  "Option",
  "PublicObjectList",
  "PublicObjectListSearchResult",
  "PortalInformationResponse",
  "AccessTokenResponse",
  "ClientCredentialsTokenResponse",
  "PublicAccessTokenInfoResponse",
  "PublicRefreshTokenInfoResponse",
  "SignedAccessToken",
];

type Json = Record<string, any>;

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);

function load(file: string): Json {
  const doc = JSON.parse(readFileSync(new URL(file, SPEC_DIR), "utf8")) as Json;
  const schemas = doc.components?.schemas ?? {};
  for (const name of CLOSED) {
    const s = schemas[name];
    if (s?.properties && s.additionalProperties === undefined) s.additionalProperties = false;
  }
  if (schemas.StandardError?.properties?.subCategory) schemas.StandardError.properties.subCategory = { type: "string" };
  ajv.addSchema(doc, file);
  return doc;
}

const FILES = ["2026-09/companies.json", "2026-09/deals.json", "2026-09/contacts.json", "2026-09/properties.json", "2026-09/associations.json", "2026-09/lists.json", "2026-09/accountInfo.json", "2026-09/oauth.json", "2026-03/oauth.json"];
const docs = Object.fromEntries(FILES.map((f) => [f, load(f)]));

const escape = (s: string): string => s.replace(/~/g, "~0").replace(/\//g, "~1");

/**
 * The validator of one documented response: `status` is the spec's key ("200", "201" or
 * "default", which is the `Error` body), so nothing falls back silently.
 */
function responseSchema(file: string, method: string, path: string, status: string): ValidateFunction {
  const op = docs[file]?.paths?.[path]?.[method];
  if (!op) throw new Error(`${file}: no ${method.toUpperCase()} ${path}`);
  const resp = op.responses[status];
  if (!resp) throw new Error(`${file}: ${method.toUpperCase()} ${path} documents no ${status} answer`);
  const pointer = resp.$ref
    ? `${resp.$ref.slice(1)}/content/${escape("*/*")}/schema`
    : `/paths/${escape(path)}/${method}/responses/${status}/content/${escape(Object.keys(resp.content)[0]!)}/schema`;
  const validate = ajv.getSchema(`${file}#${pointer}`);
  if (!validate) throw new Error(`${file}: cannot compile ${pointer}`);
  return validate;
}

function conforms(r: ApiResult, httpStatus: number, file: string, method: string, path: string, specStatus: string): void {
  expect(r.status, r.text.slice(0, 300)).toBe(httpStatus);
  const validate = responseSchema(file, method, path, specStatus);
  const ok = validate(r.body);
  expect(ok ? [] : validate.errors, `${method.toUpperCase()} ${path} (${httpStatus}) against ${file} ${specStatus}`).toEqual([]);
}

let emu: RunningEmulator;
let companyId: number;
let dealWithCompany: number;
let companyOfDeal: number;

beforeAll(async () => {
  emu = await startEmulator({ seed: 8, companies: 30, deals: 40, contacts: 40, lists: 3, rateLimits: false });
  companyId = emu.store.objects.companies.records[0]!.id;
  const deal = emu.store.objects.deals.records.find((d) => emu.store.associations.list("deals", d.id, "companies").length > 0)!;
  dealWithCompany = deal.id;
  companyOfDeal = emu.store.associations.list("deals", deal.id, "companies")[0]!;
});

afterAll(async () => {
  await emu.close();
});

const OBJ = "/crm/objects/2026-09/{objectType}";

describe("CRM objects 2026-09", () => {
  for (const [type, file] of [
    ["companies", "2026-09/companies.json"],
    ["deals", "2026-09/deals.json"],
    ["contacts", "2026-09/contacts.json"],
  ] as const) {
    it(`${type}: list, get, search and their errors`, async () => {
      conforms(await api(emu.url, `/crm/objects/2026-09/${type}?limit=5&associations=companies,deals,contacts&propertiesWithHistory=createdate`), 200, file, "get", OBJ, "200");
      const first = emu.store.objects[type].records[0]!.id;
      conforms(await api(emu.url, `/crm/objects/2026-09/${type}/${first}?associations=companies,deals,contacts`), 200, file, "get", `${OBJ}/{objectId}`, "200");
      conforms(await api(emu.url, `/crm/objects/2026-09/${type}/1`), 404, file, "get", `${OBJ}/{objectId}`, "default");
      conforms(await api(emu.url, `/crm/objects/2026-09/${type}/search`, { body: { limit: 3, sorts: ["hs_object_id"] } }), 200, file, "post", `${OBJ}/search`, "200");
      const tooMany = { filterGroups: Array.from({ length: 6 }, () => ({ filters: [{ propertyName: "hs_object_id", operator: "HAS_PROPERTY" }] })) };
      conforms(await api(emu.url, `/crm/objects/2026-09/${type}/search`, { body: tooMany }), 400, file, "post", `${OBJ}/search`, "default");
      conforms(await api(emu.url, `/crm/objects/2026-09/${type}/batch/read`, { body: { inputs: [{ id: String(first) }], properties: ["createdate"] } }), 200, file, "post", `${OBJ}/batch/read`, "200");
      // HubSpot answers a partly failed batch with 207 and the 200 body (the spec lists no 207).
      conforms(await api(emu.url, `/crm/objects/2026-09/${type}/batch/read`, { body: { inputs: [{ id: String(first) }, { id: "1" }] } }), 207, file, "post", `${OBJ}/batch/read`, "200");
    });
  }

  it("companies: create, update, batch create/update/upsert (incl. 207), merge, and write errors", async () => {
    const f = "2026-09/companies.json";
    const created = await api(emu.url, "/crm/objects/2026-09/companies", { body: { properties: { name: "Spec Co", domain: "spec.example" } } });
    conforms(created, 201, f, "post", OBJ, "201");
    conforms(await api(emu.url, `/crm/objects/2026-09/companies/${created.body.id}`, { method: "PATCH", body: { properties: { city: "Lyon" } } }), 200, f, "patch", `${OBJ}/{objectId}`, "200");
    conforms(await api(emu.url, "/crm/objects/2026-09/companies", { body: { properties: { nope: "x" } } }), 400, f, "post", OBJ, "default");
    conforms(await api(emu.url, "/crm/objects/2026-09/companies/batch/create", { body: { inputs: [{ properties: { name: "B1" } }] } }), 201, f, "post", `${OBJ}/batch/create`, "201");
    conforms(await api(emu.url, "/crm/objects/2026-09/companies/batch/update", { body: { inputs: [{ id: created.body.id, properties: { city: "Nice" } }] } }), 200, f, "post", `${OBJ}/batch/update`, "200");
    conforms(await api(emu.url, "/crm/objects/2026-09/companies/batch/update", { body: { inputs: [{ id: created.body.id, properties: { city: "Nice" } }, { id: "1", properties: { city: "X" } }] } }), 207, f, "post", `${OBJ}/batch/update`, "200");
    conforms(
      await api(emu.url, "/crm/objects/2026-09/companies/batch/upsert", { body: { inputs: [{ id: "UP-1", idProperty: "internal_code", properties: { name: "Upserted" } }] } }),
      200, f, "post", `${OBJ}/batch/upsert`, "200",
    );
    const other = await api(emu.url, "/crm/objects/2026-09/companies", { body: { properties: { name: "Merge me" } } });
    conforms(await api(emu.url, "/crm/objects/2026-09/companies/merge", { body: { primaryObjectId: created.body.id, objectIdToMerge: other.body.id } }), 200, f, "post", `${OBJ}/merge`, "200");
  });

  it("deals: validation-rule failures as a 400 Error and as per-item 207 StandardErrors", async () => {
    const f = "2026-09/deals.json";
    await control(emu.url, "/validation-rules/deals", { rules: [{ kind: "required_when", property: "closedate", when: { property: "dealstage", equals: "closedwon" } }] }, "PUT");
    try {
      conforms(await api(emu.url, "/crm/objects/2026-09/deals", { body: { properties: { dealname: "Won", dealstage: "closedwon" } } }), 400, f, "post", OBJ, "default");
      const batch = await api(emu.url, "/crm/objects/2026-09/deals/batch/create", {
        body: { inputs: [{ properties: { dealname: "Won", dealstage: "closedwon" } }, { properties: { dealname: "Open" } }] },
      });
      conforms(batch, 207, f, "post", `${OBJ}/batch/create`, "201");
      const open = batch.body.results[0].id as string;
      conforms(await api(emu.url, "/crm/objects/2026-09/deals/batch/update", { body: { inputs: [{ id: open, properties: { dealstage: "closedwon" } }] } }), 207, f, "post", `${OBJ}/batch/update`, "200");
    } finally {
      await control(emu.url, "/validation-rules/deals", undefined, "DELETE");
    }
  });
});

describe("properties 2026-09", () => {
  const f = "2026-09/properties.json";
  const P = "/crm/properties/2026-09/{objectType}";
  it("lists and gets definitions, 404 for an unknown name", async () => {
    for (const type of ["companies", "deals", "contacts"]) conforms(await api(emu.url, `/crm/properties/2026-09/${type}`), 200, f, "get", P, "200");
    conforms(await api(emu.url, "/crm/properties/2026-09/companies/hs_additional_domains"), 200, f, "get", `${P}/{propertyName}`, "200");
    conforms(await api(emu.url, "/crm/properties/2026-09/companies/no_such_property"), 404, f, "get", `${P}/{propertyName}`, "default");
  });
});

describe("associations 2026-09", () => {
  const f = "2026-09/associations.json";
  const A = "/crm/associations/2026-09/{fromObjectType}/{toObjectType}";
  it("batch read (200 and 207), create, default and labelled PUT, archive", async () => {
    conforms(await api(emu.url, "/crm/associations/2026-09/deals/companies/batch/read", { body: { inputs: [{ id: String(dealWithCompany) }] } }), 200, f, "post", `${A}/batch/read`, "200");
    const lonely = emu.store.addRecord("companies", { name: "No deals" });
    conforms(
      await api(emu.url, "/crm/associations/2026-09/companies/deals/batch/read", { body: { inputs: [{ id: String(lonely.id) }, { id: String(companyOfDeal) }] } }),
      207, f, "post", `${A}/batch/read`, "200",
    );
    conforms(await api(emu.url, "/crm/associations/2026-09/deals/companies/batch/read", { body: { inputs: "x" } }), 400, f, "post", `${A}/batch/read`, "default");
    const spec = [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 5 }];
    conforms(
      await api(emu.url, "/crm/associations/2026-09/deals/companies/batch/create", { body: { inputs: [{ from: { id: String(dealWithCompany) }, to: { id: String(companyId) }, types: spec }] } }),
      200, f, "post", `${A}/batch/create`, "200",
    );
    const D = "/crm/objects/2026-09/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}";
    conforms(await api(emu.url, `/crm/objects/2026-09/deals/${dealWithCompany}/associations/default/companies/${companyId}`, { method: "PUT" }), 200, f, "put", D, "200");
    const L = "/crm/objects/2026-09/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}";
    conforms(await api(emu.url, `/crm/objects/2026-09/deals/${dealWithCompany}/associations/companies/${companyId}`, { method: "PUT", body: spec }), 201, f, "put", L, "201");
    conforms(await api(emu.url, `/crm/objects/2026-09/deals/1/associations/companies/${companyId}`, { method: "PUT", body: spec }), 404, f, "put", L, "default");
    conforms(
      await api(emu.url, "/crm/associations/2026-09/deals/companies/batch/archive", { body: { inputs: [{ from: { id: String(dealWithCompany) }, to: [{ id: String(companyId) }] }] } }),
      200, f, "post", `${A}/batch/archive`, "200",
    );
  });
});

describe("lists 2026-09", () => {
  const f = "2026-09/lists.json";
  it("search (and its 400 without the required fields), get, memberships, get by ids, create, add members", async () => {
    conforms(await api(emu.url, "/crm/lists/2026-09/search", { body: { listIds: [], processingTypes: [], offset: 0, additionalProperties: [], count: 2 } }), 200, f, "post", "/crm/lists/2026-09/search", "200");
    conforms(await api(emu.url, "/crm/lists/2026-09/search", { body: { query: "" } }), 400, f, "post", "/crm/lists/2026-09/search", "default");
    const list = [...emu.store.lists.lists.values()].find((l) => l.members.length > 3)!;
    conforms(await api(emu.url, `/crm/lists/2026-09/${list.listId}`), 200, f, "get", "/crm/lists/2026-09/{listId}", "200");
    conforms(await api(emu.url, "/crm/lists/2026-09/987654"), 404, f, "get", "/crm/lists/2026-09/{listId}", "default");
    const page = await api(emu.url, `/crm/lists/2026-09/${list.listId}/memberships?limit=2`);
    conforms(page, 200, f, "get", "/crm/lists/2026-09/{listId}/memberships", "200");
    conforms(await api(emu.url, `/crm/lists/2026-09/${list.listId}/memberships?limit=2&after=${page.body.paging.next.after}`), 200, f, "get", "/crm/lists/2026-09/{listId}/memberships", "200");
    conforms(await api(emu.url, `/crm/lists/2026-09?listIds=${list.listId}`), 200, f, "get", "/crm/lists/2026-09", "200");
    const created = await api(emu.url, "/crm/lists/2026-09", { body: { name: "Spec list", objectTypeId: "0-1", processingType: "MANUAL" } });
    conforms(created, 200, f, "post", "/crm/lists/2026-09", "200");
    const contact = String(emu.store.objects.contacts.records[0]!.id);
    conforms(await api(emu.url, `/crm/lists/2026-09/${created.body.list.listId}/memberships/add`, { method: "PUT", body: [contact, "1"] }), 200, f, "put", "/crm/lists/2026-09/{listId}/memberships/add", "200");
    conforms(await api(emu.url, `/crm/lists/2026-09/${created.body.list.listId}/memberships/remove`, { method: "PUT", body: [contact] }), 200, f, "put", "/crm/lists/2026-09/{listId}/memberships/remove", "200");
  });
});

describe("account info 2026-09", () => {
  const f = "2026-09/accountInfo.json";
  it("details and private-app usage", async () => {
    conforms(await api(emu.url, "/account-info/2026-09/details"), 200, f, "get", "/account-info/2026-09/details", "200");
    conforms(await api(emu.url, "/account-info/2026-09/api-usage/daily/private-apps"), 200, f, "get", "/account-info/2026-09/api-usage/daily/private-apps", "200");
  });
});

describe("authentication and limit errors", () => {
  const f = "2026-09/companies.json";
  it("401 without or with a revoked token, 403 for a missing scope", async () => {
    conforms(await api(emu.url, "/crm/objects/2026-09/companies", { token: null }), 401, f, "get", OBJ, "default");
    const key = (await control(emu.url, "/service-keys", { scopes: ["crm.objects.contacts.read"] })).body.key as string;
    conforms(await api(emu.url, "/crm/objects/2026-09/companies", { token: key }), 403, f, "get", OBJ, "default");
    await control(emu.url, `/service-keys/${key}`, undefined, "DELETE");
    conforms(await api(emu.url, "/crm/objects/2026-09/contacts", { token: key }), 401, "2026-09/contacts.json", "get", OBJ, "default");
    const oauth = (await control(emu.url, "/tokens/oauth", {})).body.access_token as string;
    await control(emu.url, "/tokens/expire", { token: oauth });
    conforms(await api(emu.url, "/crm/objects/2026-09/companies", { token: oauth }), 401, f, "get", OBJ, "default");
  });

  it("429 answers carry HubSpot's rate-limit body, which the spec's Error does not describe", async () => {
    // HubSpot's edge answers 429 with {status, message, errorType, correlationId, policyName}
    // (shared/reference/hubspot-2026.md §3), not with the API's Error body: checked as that.
    const rateLimitBody = ajv.compile({
      type: "object",
      required: ["status", "message", "errorType", "correlationId", "policyName"],
      additionalProperties: false,
      properties: {
        status: { const: "error" },
        message: { type: "string" },
        errorType: { const: "RATE_LIMIT" },
        correlationId: { type: "string", format: "uuid" },
        policyName: { enum: ["TEN_SECONDLY_ROLLING", "DAILY", "SECONDLY"] },
      },
    });
    await control(emu.url, "/rate-limits", { enabled: true, privateTenSecondMax: 1 }, "PUT");
    try {
      await api(emu.url, "/crm/objects/2026-09/companies?limit=1");
      const r = await api(emu.url, "/crm/objects/2026-09/companies?limit=1");
      expect(r.status).toBe(429);
      expect(rateLimitBody(r.body) ? [] : rateLimitBody.errors).toEqual([]);
    } finally {
      await control(emu.url, "/rate-limits", { enabled: false }, "PUT");
      delete emu.store.rateLimiter.config.privateTenSecondMax;
    }
  });
});

describe("OAuth 2026-03 (and 2026-09)", () => {
  const f03 = "2026-03/oauth.json";
  const f09 = "2026-09/oauth.json";
  const client = { client_id: OAUTH_CLIENT_ID, client_secret: OAUTH_CLIENT_SECRET };
  const form = (path: string, fields: Record<string, string>) => api(emu.url, path, { token: null, form: fields });
  async function code(): Promise<string> {
    const auth = await fetch(`${emu.url}/oauth/authorize?client_id=${OAUTH_CLIENT_ID}&redirect_uri=${encodeURIComponent("http://localhost:1/cb")}&scope=crm.objects.companies.read`, { redirect: "manual" });
    return new URL(auth.headers.get("location")!).searchParams.get("code")!;
  }

  it("token: authorization code, refresh and client credentials; errors as Error", async () => {
    const t = await form("/oauth/2026-03/token", { grant_type: "authorization_code", ...client, redirect_uri: "http://localhost:1/cb", code: await code() });
    conforms(t, 200, f03, "post", "/oauth/2026-03/token", "200");
    conforms(await form("/oauth/2026-03/token", { grant_type: "refresh_token", ...client, refresh_token: t.body.refresh_token }), 200, f03, "post", "/oauth/2026-03/token", "200");
    conforms(await form("/oauth/2026-03/token", { grant_type: "client_credentials", ...client }), 200, f03, "post", "/oauth/2026-03/token", "200");
    conforms(await form("/oauth/2026-03/token", { grant_type: "refresh_token", ...client, refresh_token: "nope" }), 400, f03, "post", "/oauth/2026-03/token", "default");
    conforms(await form("/oauth/2026-03/token", { grant_type: "refresh_token", client_id: "x", refresh_token: "nope" }), 400, f03, "post", "/oauth/2026-03/token", "default");
    // 2026-09's token endpoint documents only its error answer; its success has 2026-03's shape.
    conforms(await form("/oauth/2026-09/token", { grant_type: "refresh_token", ...client, refresh_token: t.body.refresh_token }), 200, f03, "post", "/oauth/2026-03/token", "200");
    conforms(await form("/oauth/2026-09/token", { grant_type: "client_credentials", ...client }), 400, f09, "post", "/oauth/2026-09/token", "default");
  });

  it("introspect and revoke", async () => {
    const t = (await form("/oauth/2026-03/token", { grant_type: "authorization_code", ...client, redirect_uri: "http://localhost:1/cb", code: await code() })).body;
    const I03 = "/oauth/2026-03/token/introspect";
    conforms(await form(I03, { ...client, token: t.access_token, token_type_hint: "access_token" }), 200, f03, "post", I03, "200");
    conforms(await form(I03, { ...client, token: t.refresh_token, token_type_hint: "refresh_token" }), 200, f03, "post", I03, "200");
    conforms(await form(I03, { client_id: OAUTH_CLIENT_ID, token: t.access_token }), 400, f03, "post", I03, "default");
    // An inactive token is `{active:false}`: 2026-09's introspection schema describes it, 2026-03's oneOf does not.
    conforms(await form("/oauth/2026-09/token/introspect", { ...client, token: "unknown" }), 200, f09, "post", "/oauth/2026-09/token/introspect", "200");
    conforms(await form("/oauth/2026-09/token/introspect", { ...client, token: t.access_token }), 200, f09, "post", "/oauth/2026-09/token/introspect", "200");
    const revoked = await form("/oauth/2026-03/token/revoke", { ...client, token: t.refresh_token });
    expect(revoked.status).toBe(204);
    expect(revoked.text).toBe("");
    conforms(await form("/oauth/2026-03/token/revoke", { client_id: "x", client_secret: "y", token: t.refresh_token }), 400, f03, "post", "/oauth/2026-03/token/revoke", "default");
  });
});
