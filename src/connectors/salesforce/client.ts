// crmsync's thin Salesforce REST client (decision 0043): SOQL query pages followed through
// `nextRecordsUrl`, describe, list views, limits and sObject Collections writes, each one call
// through the transport, so the run's budget sees every one of them.
import { z } from "zod";
import { dataPath } from "./api-version.ts";
import { isSalesforceError, SalesforceError } from "./errors.ts";
import { createTransport, type RequestSpec, type Transport, type TransportOptions } from "./transport.ts";

/** A record as SOQL returns it: field values by API name, `attributes` beside them. */
export type SalesforceRecord = Record<string, unknown> & { Id: string };

/** The most rows Salesforce returns in one query answer. */
export const queryBatchSize = 2_000;
/** sObject Collections take at most 200 records a call. */
export const collectionSize = 200;

const queryPageSchema = z.object({
  totalSize: z.number().optional(),
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(z.looseObject({ Id: z.string().optional() })),
});
export type QueryPage = z.infer<typeof queryPageSchema>;

const picklistValueSchema = z.looseObject({ value: z.string(), label: z.string().nullable().optional(), active: z.boolean().optional() });
const describeFieldSchema = z.looseObject({
  name: z.string(),
  label: z.string(),
  type: z.string(),
  calculated: z.boolean().optional(),
  updateable: z.boolean().optional(),
  createable: z.boolean().optional(),
  deprecatedAndHidden: z.boolean().optional(),
  compoundFieldName: z.string().nullable().optional(),
  picklistValues: z.array(picklistValueSchema).optional(),
});
export type DescribeField = z.infer<typeof describeFieldSchema>;
const describeSchema = z.looseObject({ name: z.string(), label: z.string().optional(), fields: z.array(describeFieldSchema) });
export type DescribeResult = z.infer<typeof describeSchema>;

const listViewsSchema = z.looseObject({
  listviews: z.array(z.looseObject({ id: z.string(), label: z.string(), developerName: z.string().optional() })),
  nextRecordsUrl: z.string().nullable().optional(),
  done: z.boolean().optional(),
});
export type ListView = z.infer<typeof listViewsSchema>["listviews"][number];
const listViewDescribeSchema = z.looseObject({ id: z.string(), query: z.string() });

const errorEntrySchema = z.looseObject({ statusCode: z.string().optional(), errorCode: z.string().optional(), message: z.string(), fields: z.array(z.string()).optional() });
const saveResultSchema = z.looseObject({ id: z.string().nullable().optional(), success: z.boolean(), errors: z.array(errorEntrySchema).optional() });
export type SaveResult = z.infer<typeof saveResultSchema>;

export interface SalesforceClient {
  /** Query answers page by page, following nextRecordsUrl; `all` reads the recycle bin too (queryAll). */
  queryPages(soql: string, options?: { all?: boolean; signal?: AbortSignal; resumeUrl?: string | undefined }): AsyncIterable<QueryPage>;
  describe(object: string): Promise<DescribeResult>;
  listViews(object: string): Promise<ListView[]>;
  /** A list view's SOQL (the `query` of its describe); null when the view no longer exists. */
  listViewQuery(object: string, id: string): Promise<string | null>;
  /** Creates (POST) or updates (PATCH) up to 200 records, one result per record in input order. */
  saveCollection(method: "POST" | "PATCH", records: readonly Record<string, unknown>[]): Promise<SaveResult[]>;
}

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new SalesforceError({ kind: "unavailable", status: 200, endpoint: what, message: `Salesforce answered ${what} in an unexpected shape: ${parsed.error.message}` });
  return parsed.data;
}

export function createSalesforceClient(options: TransportOptions): SalesforceClient {
  const transport: Transport = createTransport(options);
  const get = async <T>(endpoint: string, path: string, schema: z.ZodType<T>, extra: Partial<RequestSpec> = {}): Promise<T> =>
    parse(schema, await transport.request<unknown>({ endpoint, method: "GET", path, ...extra }), endpoint);

  return {
    async *queryPages(soql, o = {}) {
      const endpoint = o.all ? "queryAll" : "query";
      const headers = { "sforce-query-options": `batchSize=${queryBatchSize}` };
      let page = o.resumeUrl
        ? await get(endpoint, o.resumeUrl, queryPageSchema, { headers, signal: o.signal })
        : await get(endpoint, dataPath(`/${endpoint}`), queryPageSchema, { query: { q: soql }, headers, signal: o.signal });
      yield page;
      while (!page.done && page.nextRecordsUrl) {
        page = await get(endpoint, page.nextRecordsUrl, queryPageSchema, { headers, signal: o.signal });
        yield page;
      }
    },

    describe: (object) => get("describe", dataPath(`/sobjects/${encodeURIComponent(object)}/describe`), describeSchema),

    async listViews(object) {
      const out: ListView[] = [];
      let page = await get("listviews", dataPath(`/sobjects/${encodeURIComponent(object)}/listviews`), listViewsSchema);
      out.push(...page.listviews);
      while (page.done === false && page.nextRecordsUrl) {
        page = await get("listviews", page.nextRecordsUrl, listViewsSchema);
        out.push(...page.listviews);
      }
      return out;
    },

    async listViewQuery(object, id) {
      try {
        return (await get("listviews.describe", dataPath(`/sobjects/${encodeURIComponent(object)}/listviews/${encodeURIComponent(id)}/describe`), listViewDescribeSchema)).query;
      } catch (error) {
        if (isSalesforceError(error, "not_found")) return null;
        throw error;
      }
    },

    async saveCollection(method, records) {
      if (records.length === 0) return [];
      const body = await transport.request<unknown>({ endpoint: method === "POST" ? "composite.create" : "composite.update", method, path: dataPath("/composite/sobjects"), json: { allOrNone: false, records } });
      return parse(z.array(saveResultSchema), body, "a collection write");
    },
  };
}
