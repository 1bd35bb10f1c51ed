// HubSpot's real answers (and the answers HubSpot's own docs and spec quote), replayed through
// crmsync's client and parsers. A small HTTP server answers the request crmsync makes on the
// 2026-09 paths with the recorded body, status and x-hubspot-* headers of the v3/v4 answer it
// replaces (the reference notes no response change apart from the dropped `warnings`). Every file
// in the folder must be replayed here or listed as not called, with the reason.
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHubSpotAccountSource } from "./account-source.ts";
import { apiVersion } from "./api-paths.ts";
import { PortalBudget } from "./budget.ts";
import { createHubSpotClient, type HubSpotClient } from "./client.ts";
import { toCrmContact } from "./contact-source.ts";
import { introspectAccessToken } from "./oauth.ts";
import { mapHubSpotProperty } from "./property-types.ts";
import { staticTokenAuth } from "./transport.ts";
import { CallCounter } from "./types.ts";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const folder = resolve(repoRoot, "../shared/reference/hubspot-recorded");

interface IndexEntry {
  name: string;
  method: string;
  path: string;
  status: number;
  hubspotHeaders: Record<string, string>;
}

const index = JSON.parse(readFileSync(resolve(folder, "index.json"), "utf8")) as IndexEntry[];
const recorded = (name: string): unknown => JSON.parse(readFileSync(resolve(folder, name), "utf8"));

/** Files crmsync has no call for, and why. */
const notCalled: Record<string, string> = {
  "nango-create-association.json": "crmsync never creates associations (HubSpot owns them; contacts are created with their company inline)",
};

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
  authorization: string | undefined;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

let server: Server;
let baseUrl: string;
let answers: Map<string, (seen: Seen) => Answer>;
let seen: Seen[];
let replayed: Set<string>;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (text += chunk));
    req.on("end", () => done(text));
    req.on("error", fail);
  });
}

/** The recorded answer of `name`, with its status and HubSpot headers from index.json (docs/spec quotes have none). */
function answerOf(name: string, body: unknown = recorded(name)): Answer {
  const entry = index.find((e) => e.name === name);
  replayed.add(name);
  return { status: entry?.status ?? 200, headers: entry?.hubspotHeaders ?? {}, body };
}

/** Answers `method path` (crmsync's 2026 path) with a recorded file, once or for every call. */
function serve(method: string, path: string, respond: string | ((s: Seen) => Answer)): void {
  answers.set(`${method} ${path}`, typeof respond === "string" ? () => answerOf(respond) : respond);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const url = new URL(req.url ?? "/", "http://recorded.test");
      const s: Seen = { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, body, authorization: req.headers.authorization };
      seen.push(s);
      const respond = answers.get(`${s.method} ${s.path}`);
      const answer: Answer = respond
        ? respond(s)
        : { status: 404, headers: {}, body: { status: "error", category: "OBJECT_NOT_FOUND", message: `nothing recorded for ${s.method} ${s.path}`, correlationId: "00000000-0000-0000-0000-000000000000" } };
      res.writeHead(answer.status, { "content-type": "application/json;charset=utf-8", ...answer.headers });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  replayed = new Set();
});

afterAll(async () => {
  await new Promise<void>((done) => server.close(() => done()));
  // Runs after every test: a file added to the folder without a replay here fails the suite.
  const files = readdirSync(folder).filter((f) => f.endsWith(".json") && f !== "index.json");
  expect(files.filter((f) => !replayed.has(f) && notCalled[f] === undefined)).toEqual([]);
});

let client: HubSpotClient;
let budget: PortalBudget;

beforeEach(() => {
  answers = new Map();
  seen = [];
  budget = new PortalBudget("recorded", { limit: 190, reservedShare: 0 });
  client = createHubSpotClient({ baseUrl, auth: staticTokenAuth("pat-eu1-recorded"), counter: new CallCounter(), budget, retry: { maxAttempts: 1 } });
});

const objects = `/crm/objects/${apiVersion}`;

describe("records", () => {
  it("lists companies on the 2026-09 path, one page without paging, ids and properties as HubSpot sent them", async () => {
    for (const name of ["nango-companies.json", "nango-list-companies.json"]) {
      serve("GET", `${objects}/companies`, name);
      const pages = [];
      for await (const page of createHubSpotAccountSource(client).companies({ properties: ["name", "domain"], cursor: null })) pages.push(page);
      expect(pages).toHaveLength(1);
      const [page] = pages;
      expect(page?.cursor).toBeNull();
      expect(page?.records).toHaveLength(57);
      expect(page?.records[0]).toMatchObject({ id: "406260751575", createdAt: expect.any(String) as string });
      expect(page?.records.at(-1)?.id).toBe("421369711816");
      expect(page?.records.find((c) => c.id === "407218578642")?.domains).toEqual(["test2.com"]);
    }
    expect(seen[0]?.query.get("limit")).toBe("100");
    expect(seen[0]?.authorization).toBe("Bearer pat-eu1-recorded");
    // The real answers' x-hubspot-ratelimit-max of 110 reached the budget.
    expect(budget.stats().limit).toBe(110);
  });

  it("lists contacts and reads them as crmsync's contacts", async () => {
    for (const [name, count] of [["nango-contacts.json", 26], ["nango-list-contacts.json", 26]] as const) {
      serve("GET", `${objects}/contacts`, name);
      const pages = [];
      for await (const page of client.listObjects("contacts", { properties: ["email", "firstname"] })) pages.push(page);
      expect(pages).toHaveLength(1);
      const contacts = pages[0]?.results.map(toCrmContact) ?? [];
      expect(contacts).toHaveLength(count);
      expect(contacts[0]).toMatchObject({ id: "713492963559", modifiedAt: expect.stringMatching(/^2026-03-12T/) as string, properties: { email: "test-contact-2026@example.com" }, mergedIds: [] });
      expect(contacts.at(-1)?.id).toBe("735131946233");
    }
  });

  it("lists deals with companies asked for: HubSpot leaves `associations` out when a deal has none", async () => {
    serve("GET", `${objects}/deals`, "nango-deals.json");
    const pages = [];
    for await (const page of createHubSpotAccountSource(client).deals({ properties: ["dealname", "amount"], cursor: null })) pages.push(page);
    expect(seen[0]?.query.get("associations")).toBe("companies");
    expect(pages[0]?.records).toHaveLength(21);
    expect(pages[0]?.records[0]).toMatchObject({ id: "479475667160", companyIds: [], properties: { amount: "3000", closedate: null } });

    serve("GET", `${objects}/deals`, "nango-list-deals.json");
    const listed = [];
    for await (const page of client.listObjects("deals", { properties: ["dealname"] })) listed.push(...page.results);
    expect(listed).toHaveLength(20);
    expect(listed.at(-1)?.id).toBe("493561802994");
  });

  it("gets one company, contact and deal by id", async () => {
    serve("GET", `${objects}/companies/421290981567`, "nango-get-company.json");
    serve("GET", `${objects}/contacts/713492963559`, "nango-get-contact.json");
    serve("GET", `${objects}/deals/479475667160`, "nango-get-deal.json");
    expect((await client.getObject("companies", "421290981567", { properties: ["name"] }))?.id).toBe("421290981567");
    const contact = await client.getObject("contacts", "713492963559", { properties: ["email"] });
    expect(contact?.properties).toMatchObject({ email: "test-contact-2026@example.com", firstname: "Updated", lastname: "TestUser" });
    const deal = await client.getObject("deals", "479475667160", { properties: ["dealname"] });
    expect(deal).toMatchObject({ id: "479475667160", archived: false });
  });

  it("searches companies (no rate-limit headers on search answers) and deals with a next page", async () => {
    serve("POST", `${objects}/companies/search`, "nango-search-companies.json");
    const companies = await client.searchObjects("companies", { properties: ["name"], limit: 100 });
    expect(companies.total).toBe(55);
    expect(companies.results).toHaveLength(55);
    expect(companies.nextAfter).toBeUndefined();

    serve("POST", `${objects}/deals/search`, "nango-search-deals.json");
    const deals = await client.searchObjects("deals", { properties: ["dealname"], limit: 5 });
    expect(deals).toMatchObject({ total: 21, nextAfter: "5" });
    expect(deals.results.map((d) => d.id)).toHaveLength(5);
    expect(JSON.parse(seen.at(-1)?.body ?? "{}")).toMatchObject({ limit: 5, properties: ["dealname"] });
    // Search answers carry no rate-limit headers: the budget keeps its 190 and its plan.
    expect(budget.stats()).toMatchObject({ limit: 190, slowdowns: 0, rateLimited: 0 });
  });

  it("batch-updates a company and reads the COMPLETE answer", async () => {
    serve("POST", `${objects}/companies/batch/update`, "nango-batch-update-companies.json");
    const result = await client.batchUpdate("companies", [{ id: "407218578642", properties: { city: "Boston" } }]);
    expect(result.errors).toEqual([]);
    expect(result.results[0]).toMatchObject({ id: "407218578642", properties: { city: "Boston", industry: "COMPUTER_SOFTWARE" } });
  });
});

describe("associations", () => {
  it("reads a batch without fromObjectTypeId/toObjectTypeId, follows `after`, and takes NO_ASSOCIATIONS_FOUND as none", async () => {
    serve("POST", `/crm/associations/${apiVersion}/contacts/companies/batch/read`, (s) => {
      const inputs = (JSON.parse(s.body) as { inputs: { id: string; after?: string }[] }).inputs;
      // The follow-up for the page HubSpot said was left: the last page, empty.
      if (inputs.every((i) => i.after !== undefined)) return { status: 200, headers: {}, body: { status: "COMPLETE", results: inputs.map((i) => ({ from: { id: i.id }, to: [] })), startedAt: "2023-11-07T05:31:56Z", completedAt: "2023-11-07T05:31:56Z" } };
      return answerOf("docs-assoc-v4-batch-read.json");
    });
    const result = await client.batchReadAssociations("contacts", "companies", ["29851", "1"]);
    expect(result.errors).toEqual([]);
    expect(result.byId.get("29851")).toEqual([
      {
        toObjectId: "5790939450",
        associationTypes: [
          { category: "HUBSPOT_DEFINED", typeId: 279, label: null },
          { category: "HUBSPOT_DEFINED", typeId: 1, label: "Primary" },
        ],
      },
    ]);
    expect(result.byId.get("1")).toEqual([]);
    expect(seen.map((s) => JSON.parse(s.body) as unknown)).toEqual([{ inputs: [{ id: "29851" }, { id: "1" }] }, { inputs: [{ id: "29851", after: "MTIzNDU2" }] }]);
  });

  it("reads one record's associations through the batch read (2026-09 has no per-record GET)", async () => {
    // The v4 per-record answer's items have the batch answer's `to[]` shape.
    const items = (recorded("docs-assoc-v4-list.json") as { results: unknown[] }).results;
    serve("POST", `/crm/associations/${apiVersion}/contacts/companies/batch/read`, () => answerOf("docs-assoc-v4-list.json", { status: "COMPLETE", results: [{ from: { id: "29851" }, to: items }] }));
    expect(await client.listAssociations("contacts", "29851", "companies")).toEqual([{ toObjectId: "5790939450", associationTypes: [{ category: "HUBSPOT_DEFINED", typeId: 279, label: null }] }]);
  });
});

describe("properties catalog", () => {
  it("parses the 247 real company definitions and maps each to a crmsync field type or unsupported", async () => {
    serve("GET", `/crm/properties/${apiVersion}/companies`, "nango-fetch-properties.json");
    const properties = await client.listProperties("companies");
    expect(properties).toHaveLength(247);
    const byName = new Map(properties.map((p) => [p.name, mapHubSpotProperty(p, "company")]));
    const tally: Record<string, number> = {};
    for (const mapping of byName.values()) {
      const key = mapping.supported ? mapping.type : "unsupported";
      tally[key] = (tally[key] ?? 0) + 1;
    }
    // Counted from the file by a separate script applying product spec §3.3's table and exclusions.
    expect(tally).toEqual({ text: 55, number: 49, date: 53, select: 26, multi_select: 11, unsupported: 53 });
    expect(byName.get("about_us")).toEqual({ supported: true, type: "text", options: [] });
    expect(byName.get("phone")).toMatchObject({ supported: true, type: "text" });
    expect(byName.get("industry")).toMatchObject({ supported: true, type: "select" });
    expect(byName.get("hubspot_owner_id")).toMatchObject({ supported: false });
    expect(byName.get("hs_analytics_num_visits")).toMatchObject({ supported: true, type: "number" });
    for (const p of properties) {
      if (p.fieldType.startsWith("calculation_") || p.type === "object_coordinates" || p.fieldType === "html") expect(byName.get(p.name)?.supported).toBe(false);
    }
  });
});

describe("lists", () => {
  it("gets a list from its { list } envelope", async () => {
    serve("GET", `/crm/lists/${apiVersion}/1`, "spec-lists-get.json");
    expect(await client.getList("1")).toMatchObject({ listId: "1", name: "Dynamic Association List Example", objectTypeId: "0-1", processingType: "DYNAMIC" });
  });

  it("searches lists sending every field 2026-09 requires, and reads the size from hs_list_size", async () => {
    serve("POST", `/crm/lists/${apiVersion}/search`, "spec-lists-search.json");
    const pages = [];
    for await (const page of client.searchLists({ query: "Test" })) pages.push(page);
    expect(pages).toEqual([{ results: [expect.objectContaining({ listId: "123", name: "Test list", size: 59, processingType: "SNAPSHOT" })], total: 1 }]);
    expect(JSON.parse(seen[0]?.body ?? "{}")).toEqual({ query: "Test", listIds: [], processingTypes: [], offset: 0, count: 500, additionalProperties: ["hs_list_size"] });
  });

  it("reads memberships and their `after` cursor", async () => {
    serve("GET", `/crm/lists/${apiVersion}/7/memberships`, "docs-lists-memberships.json");
    for await (const page of client.listMemberships("7")) {
      expect(page).toEqual({
        results: [
          { recordId: "101", membershipTimestamp: "2024-01-10T12:00:00.000Z" },
          { recordId: "102", membershipTimestamp: "2024-01-11T12:00:00.000Z" },
        ],
        nextAfter: "AoJ4l2Y",
      });
      break;
    }
  });
});

describe("account and token", () => {
  it("reads the portal id from account-info details", async () => {
    serve("GET", `/account-info/${apiVersion}/details`, "nango-fetch-account-information.json");
    expect(await client.getAccountDetails()).toMatchObject({ portalId: "147893286", timeZone: "US/Eastern", uiDomain: "app-eu1.hubspot.com", dataHostingLocation: "eu1" });
    expect(budget.stats().limit).toBe(110);
  });

  it("reads the token's portal and scopes from introspection, the client secret in the form body", async () => {
    serve("POST", "/oauth/2026-03/token/introspect", "nango-whoami.json");
    const info = await introspectAccessToken({ baseUrl, clientId: "client-1", clientSecret: "secret-1" }, "token-1");
    expect(info.hub_id).toBe(147893286);
    expect(info.scopes).toEqual(expect.arrayContaining(["crm.objects.companies.read", "crm.objects.contacts.write", "crm.lists.read"]));
    expect(Object.fromEntries(new URLSearchParams(seen[0]?.body))).toEqual({ token: "token-1", token_type_hint: "access_token", client_id: "client-1", client_secret: "secret-1" });
    expect(seen[0]?.authorization).toBeUndefined();
  });
});
