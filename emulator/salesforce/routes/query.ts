import type { FastifyInstance, FastifyRequest } from "fastify";
import { SalesforceError } from "../errors.ts";
import type { QueryCursor } from "../query-locators.ts";
import { route, versionOf } from "../server.ts";
import { compileSoql } from "../soql/compile.ts";
import { RowRenderer, runQuery } from "../soql/execute.ts";
import { parseSoql } from "../soql/parser.ts";
import type { SalesforceStore } from "../store.ts";

/**
 * `query` and `queryAll` with `nextRecordsUrl` paging. Pages hold up to 2,000 rows;
 * `Sforce-Query-Options: batchSize=N` asks for 200 to 2,000.
 */
const MAX_BATCH = 2000;
const MIN_BATCH = 200;

function batchSize(req: FastifyRequest): number {
  const header = String(req.headers["sforce-query-options"] ?? "");
  const m = /batchSize\s*=\s*(\d+)/i.exec(header);
  if (!m) return MAX_BATCH;
  return Math.min(MAX_BATCH, Math.max(MIN_BATCH, Number(m[1])));
}

export function registerQueryRoutes(app: FastifyInstance, store: SalesforceStore): void {
  const page = (req: FastifyRequest, cursor: QueryCursor, start: number, kind: "query" | "queryAll") => {
    const version = versionOf(req);
    const size = batchSize(req);
    const rows = cursor.rows.slice(start, start + size);
    const renderer = new RowRenderer(cursor.query, store, version, cursor.includeDeleted);
    const end = start + rows.length;
    const done = end >= cursor.rows.length;
    const answer: Record<string, unknown> = { totalSize: cursor.rows.length, done };
    if (!done) answer.nextRecordsUrl = `/services/data/v${version}/${kind}/${cursor.id}-${end}`;
    else store.locators.close(cursor.id);
    answer.records = rows.map((r) => renderer.render(r));
    return answer;
  };

  for (const kind of ["query", "queryAll"] as const) {
    const includeDeleted = kind === "queryAll";

    app.get(`/services/data/:version/${kind}`, route({ endpoint: kind, kind: "data" }), async (req) => {
      const q = (req.query as { q?: string }).q;
      if (q === undefined || q.trim() === "") throw new SalesforceError(400, "MALFORMED_QUERY", "A query string must be provided.");
      const compiled = compileSoql(q, parseSoql(q), store);
      const rows = runQuery(compiled, store, includeDeleted);
      if (compiled.count) {
        if (!compiled.count.field) return { totalSize: rows.length, done: true, records: [] };
        const f = compiled.count.field;
        const n = rows.filter((r) => f.get(r) !== null).length;
        return { totalSize: 1, done: true, records: [{ attributes: { type: "AggregateResult" }, expr0: n }] };
      }
      return page(req, store.locators.open(rows, compiled, includeDeleted, store.now()), 0, kind);
    });

    app.get(`/services/data/:version/${kind}/:locator`, route({ endpoint: `${kind}.more`, kind: "data" }), async (req) => {
      const raw = (req.params as { locator: string }).locator;
      const m = /^([a-zA-Z0-9]{15,18})-(\d+)$/.exec(raw);
      const cursor = m ? store.locators.get(m[1]!, store.now()) : undefined;
      if (!m || !cursor) throw new SalesforceError(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
      return page(req, cursor, Number(m[2]), kind);
    });
  }
}
