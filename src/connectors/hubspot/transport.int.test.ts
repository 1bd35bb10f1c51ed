// Retries against the emulator's injected faults, over real HTTP: each fault kind is survived
// within the attempt budget, and outlasting it ends in the right error kind.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PRIVATE_APP_TOKEN, startEmulator } from "../../../emulator/index.ts";
import type { FaultRuleInput, RunningEmulator } from "../../../emulator/index.ts";
import { createHubSpotClient } from "./client.ts";
import type { HubSpotClient } from "./client.ts";
import { HubSpotError } from "./errors.ts";
import { introspectAccessToken } from "./oauth.ts";
import { createTransport, staticTokenAuth } from "./transport.ts";
import type { TransportLogger } from "./transport.ts";
import { CallCounter } from "./types.ts";

let emu: RunningEmulator;
let client: HubSpotClient;
let counter: CallCounter;
let logLines: string[];

const maxAttempts = 4;
const endpoint = "properties.companies.list";

beforeAll(async () => {
  emu = await startEmulator({ port: 0, rateLimits: false, seed: 3, companies: 10, deals: 0, contacts: 0 });
});

afterAll(async () => {
  await emu.close();
});

const logger: TransportLogger = {
  debug: (obj, msg) => logLines.push(`${msg} ${JSON.stringify(obj)}`),
  warn: (obj, msg) => logLines.push(`${msg} ${JSON.stringify(obj)}`),
};

// Only a hung request needs the client's timeout, and an answer on a loaded machine may take
// longer than a short one: a 300 ms timeout for every test made the last, successful attempt of
// "survives 3 × 500" time out now and then. The hang tests get a timeout of their own.
const hangTimeoutMs = 1_000;

function testClient(timeoutMs: number | undefined): HubSpotClient {
  return createHubSpotClient({
    baseUrl: emu.url,
    auth: staticTokenAuth(PRIVATE_APP_TOKEN),
    counter,
    retry: { maxAttempts, baseDelayMs: 5, maxDelayMs: 40 },
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    logger,
  });
}

beforeEach(() => {
  emu.store.counters.reset();
  emu.store.faults.clear();
  emu.store.faults.releaseHung();
  counter = new CallCounter();
  logLines = [];
  client = testClient(undefined);
});

const faults: Array<{ name: string; fault: Omit<FaultRuleInput, "endpoint" | "count">; kind: HubSpotError["kind"] }> = [
  { name: "500", fault: { kind: "status", status: 500 }, kind: "unavailable" },
  { name: "502 (HTML body)", fault: { kind: "status", status: 502 }, kind: "unavailable" },
  { name: "503", fault: { kind: "status", status: 503 }, kind: "unavailable" },
  { name: "504 (HTML body)", fault: { kind: "status", status: 504 }, kind: "unavailable" },
  { name: "429", fault: { kind: "status", status: 429 }, kind: "rate_limited" },
  { name: "timeout (hung request)", fault: { kind: "hang" }, kind: "unavailable" },
  { name: "malformed JSON", fault: { kind: "malformed" }, kind: "unavailable" },
  { name: "truncated body", fault: { kind: "truncated" }, kind: "unavailable" },
  { name: "connection reset", fault: { kind: "reset" }, kind: "unavailable" },
];

describe("retries", () => {
  for (const { name, fault } of faults) {
    it(`survives ${maxAttempts - 1} × ${name} and succeeds on the last attempt`, async () => {
      emu.store.faults.add({ endpoint, ...fault, count: maxAttempts - 1 });
      const properties = await testClient(fault.kind === "hang" ? hangTimeoutMs : undefined).listProperties("companies");
      expect(properties.length).toBeGreaterThan(10);
      expect(emu.store.counters.get(endpoint)).toBe(maxAttempts);
      expect(counter.get(endpoint)).toBe(maxAttempts);
    });
  }

  for (const { name, fault, kind } of faults) {
    it(`gives up after ${maxAttempts} × ${name} as ${kind}`, async () => {
      emu.store.faults.add({ endpoint, ...fault, count: maxAttempts + 5 });
      const error = await testClient(fault.kind === "hang" ? hangTimeoutMs : undefined).listProperties("companies").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HubSpotError);
      expect(error).toMatchObject({ kind, endpoint, attempts: maxAttempts });
      expect(emu.store.counters.get(endpoint)).toBe(maxAttempts);
    });
  }

  it("does not retry a 400, and keeps HubSpot's message, category and correlation id", async () => {
    const error = await client.searchObjects("companies", { properties: [], filterGroups: [{ filters: [{ propertyName: "nope", operator: "EQ", value: "x" }] }] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "bad_request", status: 400, category: "VALIDATION_ERROR" });
    expect((error as HubSpotError).message).toContain("nope");
    expect((error as HubSpotError).correlationId).toMatch(/[0-9a-f-]{36}/);
    expect(emu.store.counters.get("companies.search")).toBe(1);
  });

  it("answers 401 with a static token as auth_revoked, once, without logging the token", async () => {
    const revoked = createHubSpotClient({ baseUrl: emu.url, auth: staticTokenAuth("pat-not-a-real-token"), counter, logger });
    await expect(revoked.listProperties("companies")).rejects.toMatchObject({ kind: "auth_revoked", status: 401 });
    expect(emu.store.counters.get(endpoint)).toBe(1);
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join("\n")).not.toContain("pat-not-a-real-token");
  });

  it("never logs the token or the client secret of an introspection, which go in the form body", async () => {
    const config = { baseUrl: emu.url, clientId: "not-a-client", clientSecret: "secret-client-value", logger, retry: { maxAttempts: 1 } };
    await expect(introspectAccessToken(config, "secret-token-value")).rejects.toBeInstanceOf(HubSpotError);
    expect(logLines.join("\n")).toContain("oauth.introspect");
    expect(logLines.join("\n")).not.toContain("secret-token-value");
    expect(logLines.join("\n")).not.toContain("secret-client-value");
  });
});

describe("Retry-After", () => {
  // The emulator sends no Retry-After (HubSpot's use of it is unconfirmed), so a bare HTTP
  // server plays a gateway that does.
  it("waits at least as long as Retry-After says", async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits++;
      if (hits === 1) {
        res.writeHead(503, { "retry-after": "1", "content-type": "application/json" });
        res.end(JSON.stringify({ status: "error", message: "busy", category: "SERVICE_UNAVAILABLE" }));
      } else {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: true }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const transport = createTransport({ baseUrl: `http://127.0.0.1:${port}`, auth: staticTokenAuth("t"), retry: { baseDelayMs: 1, maxDelayMs: 5 } });
      const started = Date.now();
      const response = await transport.request<{ ok: boolean }>({ endpoint: "test.get", method: "GET", path: "/x" });
      expect(response.body.ok).toBe(true);
      expect(hits).toBe(2);
      expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
