// Reading every company: the official SDK's getAll() against crmsync's own paging. Both ask
// for the same properties at 100 a page, so they make the same calls; they differ in what they
// keep. getAll() gathers every record into one array before returning; listObjects() hands
// over one page at a time, which is what lets a sync's memory stay flat.
import { performance } from "node:perf_hooks";
import { Client } from "@hubspot/api-client";
import { createHubSpotClient } from "../../src/connectors/hubspot/client.ts";
import { staticTokenAuth } from "../../src/connectors/hubspot/transport.ts";
import { companyBaseProperties } from "../../src/connectors/hubspot/mappers.ts";
import type { BenchEnv } from "../lib/env.ts";
import { importedFields } from "../lib/setup.ts";

export interface ReadResult {
  reader: "sdk" | "crmsync";
  records: number;
  wallMs: number;
  /** Heap in use right after the read, before the records can be collected. */
  heapAfterBytes: number;
}

const properties = [...companyBaseProperties, ...importedFields.filter((f) => f.object === "company").map((f) => f.name)];

export async function runReadCompanies(env: BenchEnv, reader: "sdk" | "crmsync"): Promise<ReadResult> {
  const started = performance.now();
  let records = 0;
  let heapAfterBytes = 0;
  if (reader === "sdk") {
    const client = new Client({ accessToken: env.emulatorToken, basePath: env.emulatorUrl });
    const all = await client.crm.companies.getAll(100, undefined, properties);
    records = all.length;
    heapAfterBytes = process.memoryUsage().heapUsed;
  } else {
    const client = createHubSpotClient({ baseUrl: env.emulatorUrl, auth: staticTokenAuth(env.emulatorToken) });
    // A consumer that keeps what a mirror keeps per page and lets the page go.
    for await (const page of client.listObjects("companies", { properties, pageSize: 100 })) records += page.results.length;
    heapAfterBytes = process.memoryUsage().heapUsed;
  }
  return { reader, records, wallMs: performance.now() - started, heapAfterBytes };
}
