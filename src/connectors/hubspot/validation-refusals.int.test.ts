// Validation rules on 2026-09 writes (reference §5): HubSpot refuses one input either as a 207
// batch item or by refusing the whole batch with a 400. Both must end as that one contact's
// "validation" failure, naming the property from errors[].in, while the others are written.
// A small HTTP server plays HubSpot's batch update with a rule "jobtitle must not be empty".
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { apiVersion } from "./api-paths.ts";
import { createHubSpotClient } from "./client.ts";
import { createHubSpotContactSource } from "./contact-source.ts";
import { staticTokenAuth } from "./transport.ts";
import { CallCounter } from "./types.ts";

type Input = { id: string; properties: Record<string, string> };

let server: Server;
let baseUrl: string;
/** How a refused batch answers: per item (207) or the whole batch (400). */
let mode: "207" | "400";
let calls: Input[][];
let paths: string[];

const ruleMessage = "Job title is required by a validation rule";

function refusal(input: Input): Record<string, unknown> {
  return {
    status: "error",
    category: "VALIDATION_ERROR",
    message: `Property values were not valid for ${input.id}`,
    context: { ids: [input.id] },
    errors: [{ message: ruleMessage, in: "jobtitle", code: "INVALID_VALUE" }],
    links: {},
  };
}

const record = (input: Input) => ({ id: input.id, properties: { ...input.properties, lastmodifieddate: "2026-10-01T00:00:00.000Z" }, createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-10-01T00:00:00.000Z", archived: false });

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    req.on("end", () => {
      const inputs = (JSON.parse(text) as { inputs: Input[] }).inputs;
      calls.push(inputs);
      paths.push(req.url ?? "");
      const refused = inputs.filter((i) => i.properties["jobtitle"] === "");
      const ok = inputs.filter((i) => i.properties["jobtitle"] !== "");
      let status = 200;
      let body: unknown = { status: "COMPLETE", results: ok.map(record), startedAt: "2026-10-01T00:00:00Z", completedAt: "2026-10-01T00:00:00Z" };
      if (refused.length > 0 && mode === "207") {
        status = 207;
        body = { ...(body as object), numErrors: refused.length, errors: refused.map(refusal) };
      } else if (refused.length > 0) {
        status = 400;
        body = { category: "VALIDATION_ERROR", correlationId: "aeb5f871-7f07-4993-9211-075dc63e7cbf", message: "Property values were not valid", errors: [{ message: ruleMessage, in: "jobtitle" }] };
      }
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((done) => server.close(() => done()));
});

beforeEach(() => {
  calls = [];
  paths = [];
});

const source = () => createHubSpotContactSource(createHubSpotClient({ baseUrl, auth: staticTokenAuth("sk-test"), counter: new CallCounter(), retry: { maxAttempts: 1 } }));
const inputs: Input[] = [
  { id: "101", properties: { firstname: "Ann", jobtitle: "CTO" } },
  { id: "102", properties: { firstname: "Bob", jobtitle: "" } },
  { id: "103", properties: { firstname: "Cy", jobtitle: "CEO" } },
];

describe.each(["207", "400"] as const)("a validation rule refusing one contact (HTTP %s)", (answer) => {
  it("fails that contact alone, with HubSpot's message and the property, and writes the others", async () => {
    mode = answer;
    const results = await source().updateContacts(inputs);
    expect(results.map((r) => ("reason" in r ? r.reason : r.id))).toEqual(["101", "validation", "103"]);
    const failure = results[1];
    expect(failure).toMatchObject({ reason: "validation", property: "jobtitle" });
    expect(failure && "message" in failure ? failure.message : "").toContain(ruleMessage);
    // 207: one call. 400: the batch, then each input alone to find the refused one.
    expect(calls.map((c) => c.map((i) => i.id))).toEqual(answer === "207" ? [["101", "102", "103"]] : [["101", "102", "103"], ["101"], ["102"], ["103"]]);
    expect(paths).toEqual(calls.map(() => `/crm/objects/${apiVersion}/contacts/batch/update`));
  });
});
