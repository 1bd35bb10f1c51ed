// Filters, sorts, pages and the insights breakdown against answers computed here from the
// seeded data; each dialect must give exactly those answers, and the last block checks that
// SQLite and PostgreSQL returned identical responses.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../test/support/app.ts";
import { dialects } from "../../../test/support/databases.ts";
import { parseFilterValue, type FieldValue } from "../../core/fields.ts";
import type { Dialect } from "../../db/database.ts";
import { createField, type FieldRecord } from "../../db/repositories/custom-fields.ts";
import { findCustomerRows, numberBucketEdges, parseListQuery, type PlanOptions } from "../../db/repositories/customer-query.ts";
import { createCustomer, setCustomerLink, type CustomerRecord } from "../../db/repositories/customers.ts";

// A small deterministic generator, so both dialects get the same data and failures replay.
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const names = ["Acme", "acme", "Beta Corp", "beta corp", "Ça Va", "Émile & Co", "zeta", "Zeta", "100% Pure", "under_score", "back\\slash", "Gamma"];
const notes = ["Key account", "key ACCOUNT", "Émigré", "émigré", "50% off", "5_0", "a\\b", 'say "hi"', "Straße", "plain"];
const industries = ["Software", "Retail", "Finance", "Health"];
const tagOptions = ["a", "b", "c", "d"];
const arrValues = [-500, 0, 0.5, 1, 99.99, 1000, 100000, 100000, 250000.25, 999999, 1_000_000];
const dates = ["2024-01-15", "2024-02-29", "2024-12-31T23:30:00Z", "2025-01-01", "2025-06-15T12:00:00+02:00", "2026-03-04", "2024-07-01"];

interface Seeded {
  fields: Record<string, FieldRecord>;
  customers: CustomerRecord[];
  linked: Set<string>;
}

async function seed(t: TestApp, workspaceId: string, count: number, seedValue: number): Promise<Seeded> {
  const random = rng(seedValue);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const fields: Record<string, FieldRecord> = {
    arr: await createField(t.ctx.db, workspaceId, { label: "ARR", type: "number" }),
    industry: await createField(t.ctx.db, workspaceId, { label: "Industry", type: "select", options: industries.map((v) => ({ value: v, label: v })) }),
    tags: await createField(t.ctx.db, workspaceId, { label: "Tags", type: "multi_select", options: tagOptions.map((v) => ({ value: v, label: v.toUpperCase() })) }),
    renewal: await createField(t.ctx.db, workspaceId, { label: "Renewal", type: "date" }),
    vip: await createField(t.ctx.db, workspaceId, { label: "VIP", type: "yes_no" }),
    note: await createField(t.ctx.db, workspaceId, { label: "Note", type: "text" }),
    code: await createField(t.ctx.db, workspaceId, { label: "Code", type: "text" }),
  };
  const customers: CustomerRecord[] = [];
  const linked = new Set<string>();
  for (let i = 0; i < count; i++) {
    const values: Record<string, unknown> = {};
    if (random() < 0.8) values["arr"] = random() < 0.5 ? pick(arrValues) : Math.round(random() * 2_000_000) / 4;
    if (random() < 0.85) values["industry"] = pick(industries);
    const tags = tagOptions.filter(() => random() < 0.35);
    if (tags.length > 0) values["tags"] = tags;
    if (random() < 0.7) values["renewal"] = pick(dates);
    if (random() < 0.75) values["vip"] = random() < 0.5;
    if (random() < 0.8) values["note"] = pick(notes);
    // Many distinct values with uneven counts, to exercise the top-50 cut of a text breakdown.
    if (random() < 0.9) values["code"] = `C${Math.floor(random() * random() * 90)}`;
    const domains = random() < 0.5 ? [`site${seedValue}-${i}.com`] : [];
    // Ids fixed by position, so both databases hold the same rows and ties break alike.
    const id = `00000000-0000-4000-8000-${String(seedValue).padStart(4, "0")}${String(i).padStart(8, "0")}`;
    const customer = await createCustomer(t.ctx.db, workspaceId, { id, name: `${pick(names)}${random() < 0.3 ? "" : ` ${i % 7}`}`, domains, fields: values });
    if (random() < 0.3) {
      await setCustomerLink(t.ctx.db, workspaceId, customer.id, { companyId: String(i), dealId: null, source: "auto" });
      linked.add(customer.id);
    }
    customers.push(customer);
  }
  return { fields, customers, linked };
}

// ---------------------------------------------------------------------------------------------
// The expected answers, computed from the seeded values

const bytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const fold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const epoch = (v: FieldValue | undefined) => Date.parse(String(v));

function matches(field: FieldRecord, value: FieldValue | undefined, op: string, operand: ReturnType<typeof parseFilterValue>): boolean {
  const has = value !== undefined && value !== null;
  const equal = (a: FieldValue | undefined, b: unknown) => (field.type === "date" ? epoch(a) === epoch(b as string) : a === b);
  switch (op) {
    case "is_empty":
      return !has;
    case "is_not_empty":
      return has;
    case "eq":
      return has && equal(value, operand);
    case "neq":
      return !(has && equal(value, operand));
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      if (!has) return false;
      const a = field.type === "date" ? epoch(value) : (value as number);
      const b = field.type === "date" ? epoch(operand as string) : (operand as number);
      return op === "gt" ? a > b : op === "gte" ? a >= b : op === "lt" ? a < b : a <= b;
    }
    case "in": {
      if (!has) return false;
      const list = operand as (string | number)[];
      if (field.type === "multi_select") return (value as string[]).some((v) => list.includes(v));
      return list.some((item) => equal(value, item));
    }
    case "contains":
      if (!has) return false;
      return field.type === "multi_select" ? (value as string[]).includes(operand as string) : fold(value as string).includes(fold(operand as string));
  }
  throw new Error(op);
}

function sortKey(field: FieldRecord, value: FieldValue): string | number {
  switch (field.type) {
    case "number":
      return value as number;
    case "date":
      return epoch(value);
    case "yes_no":
      return value ? 1 : 0;
    case "multi_select":
      return JSON.stringify(value);
    default:
      return value as string;
  }
}

function expectedOrder(seeded: Seeded, sort: string, rows: CustomerRecord[]): string[] {
  const desc = sort.startsWith("-");
  const name = desc ? sort.slice(1) : sort;
  const dir = desc ? -1 : 1;
  const byId = (a: CustomerRecord, b: CustomerRecord) => bytes(a.id, b.id) * dir;
  let compare: (a: CustomerRecord, b: CustomerRecord) => number;
  if (name.startsWith("field:")) {
    const field = seeded.fields[name.slice(6)]!;
    compare = (a, b) => {
      const va = a.fields[field.key];
      const vb = b.fields[field.key];
      if (va === undefined || vb === undefined) {
        if (va !== vb) return va === undefined ? 1 : -1; // no value: last, in both directions
        return byId(a, b);
      }
      const ka = sortKey(field, va);
      const kb = sortKey(field, vb);
      const c = typeof ka === "number" ? ka - (kb as number) : bytes(ka, kb as string);
      return c !== 0 ? c * dir : byId(a, b);
    };
  } else {
    const get = (c: CustomerRecord) => (name === "name" ? c.name.normalize("NFC").toLowerCase() : name === "createdAt" ? c.createdAt : c.updatedAt);
    compare = (a, b) => bytes(get(a), get(b)) * dir || byId(a, b);
  }
  return [...rows].sort(compare).map((c) => c.id);
}

// ---------------------------------------------------------------------------------------------

interface Page {
  items: { id: string; fields: Record<string, unknown> }[];
  nextCursor: string | null;
}

async function walk(t: TestApp, token: string, query: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const url: string = `/api/v1/customers?limit=${limit}${query ? `&${query}` : ""}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const res = await t.request(token, "GET", url);
    if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode} ${res.body}`);
    const page = res.json<Page>();
    expect(page.items.length).toBeLessThanOrEqual(limit);
    ids.push(...page.items.map((item) => item.id));
    cursor = page.nextCursor;
    if (!cursor) return ids;
    expect(page.items.length).toBe(limit);
  }
  throw new Error("too many pages");
}

/** The same walk straight through the repository, with the query plan forced one way. */
async function walkPlan(t: TestApp, workspaceId: string, fields: FieldRecord[], sort: string, params: [string, string][], plan: PlanOptions, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const query = parseListQuery({ sort, limit, cursor, params }, fields);
    const page = await findCustomerRows(t.ctx.db, workspaceId, query, plan);
    ids.push(...page.rows.map((row) => row.id));
    if (!page.nextCursor) return ids;
    cursor = page.nextCursor;
  }
  throw new Error("too many pages");
}

// Walking the sort order, and starting from the most selective filter's index.
const plans: [string, PlanOptions][] = [
  ["sort-driven", { driverThreshold: 0, walkBatch: 3 }],
  ["filter-driven", { driverThreshold: Number.POSITIVE_INFINITY }],
];

const filterCases: [key: string, op: string, raw: string][] = [
  ["arr", "eq", "100000"],
  ["arr", "neq", "100000"],
  ["arr", "gt", "100000"],
  ["arr", "gte", "100000"],
  ["arr", "lt", "1"],
  ["arr", "lte", "0.5"],
  ["arr", "in", "0,1,99.99,-500"],
  ["arr", "is_empty", ""],
  ["arr", "is_not_empty", "x"],
  ["industry", "eq", "Software"],
  ["industry", "eq", "software"],
  ["industry", "neq", "Software"],
  ["industry", "in", "Retail,Health"],
  ["industry", "is_empty", ""],
  ["industry", "is_not_empty", ""],
  ["tags", "contains", "a"],
  ["tags", "contains", "B"],
  ["tags", "in", "c,d"],
  ["tags", "is_empty", ""],
  ["tags", "is_not_empty", ""],
  ["renewal", "eq", "2024-02-29"],
  ["renewal", "neq", "2024-02-29"],
  ["renewal", "gt", "2025-01-01"],
  ["renewal", "gte", "2025-01-01"],
  ["renewal", "lt", "2024-12-31T23:30:00Z"],
  ["renewal", "lte", "2025-01-01T00:30:00+01:00"],
  ["renewal", "in", "2024-01-15,2026-03-04"],
  ["renewal", "is_empty", ""],
  ["renewal", "is_not_empty", ""],
  ["vip", "eq", "true"],
  ["vip", "eq", "no"],
  ["vip", "neq", "yes"],
  ["vip", "is_empty", ""],
  ["vip", "is_not_empty", ""],
  ["note", "eq", "Key account"],
  ["note", "neq", "Key account"],
  ["note", "in", "plain,Straße"],
  ["note", "contains", "ACCOUNT"],
  ["note", "contains", "émi"],
  ["note", "contains", "É"],
  ["note", "contains", "%"],
  ["note", "contains", "_"],
  ["note", "contains", "\\"],
  ["note", "contains", '"'],
  ["note", "is_empty", ""],
  ["note", "is_not_empty", ""],
];

const sorts = [
  "name",
  "-name",
  "createdAt",
  "-createdAt",
  "updatedAt",
  "-updatedAt",
  ...["arr", "industry", "tags", "renewal", "vip", "note"].flatMap((k) => [`field:${k}`, `-field:${k}`]),
];

/** Responses per dialect, compared once both have run. */
const answers: Record<string, Record<string, unknown>> = {};

describe.each(dialects)("customer lists and insights on %s", (dialect: Dialect) => {
  let t: TestApp;
  let a: Seeded;
  let b: Seeded;
  const record = (name: string, value: unknown) => {
    (answers[dialect] ??= {})[name] = value;
  };

  beforeAll(async () => {
    t = await startTestApp(dialect);
    a = await seed(t, t.a.id, 160, 1);
    // B has the same field keys and similar values: none of it may show up in A.
    b = await seed(t, t.b.id, 40, 2);
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  const q = (key: string, op: string, raw: string) => `filter[${encodeURIComponent(key)}][${op}]=${encodeURIComponent(raw)}`;

  it.each(filterCases)("filter %s %s %j matches exactly the expected customers", async (key, op, raw) => {
    const field = a.fields[key]!;
    const operand = parseFilterValue(field, op, raw);
    const expected = expectedOrder(a, "name", a.customers.filter((c) => matches(field, c.fields[key], op, operand)));
    const ids = await walk(t, t.a.adminToken, q(key, op, raw), 25);
    expect(ids).toEqual(expected);
    const fields = Object.values(a.fields);
    for (const sort of ["name", "-field:arr", "field:renewal"]) {
      const sorted = expectedOrder(a, sort, a.customers.filter((c) => matches(field, c.fields[key], op, operand)));
      for (const [, plan] of plans) {
        expect(await walkPlan(t, t.a.id, fields, sort, [[`filter[${key}][${op}]`, raw]], plan, 11)).toEqual(sorted);
      }
    }
    // Guard against vacuous cases: every filter in the table selects something and not everything.
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(a.customers.length);
    record(`filter ${key} ${op} ${raw}`, ids);
  });

  it.each(sorts)("sort %s walks every page in the expected order, without duplicates or misses", async (sort) => {
    const expected = expectedOrder(a, sort, a.customers);
    for (const limit of [7, 200]) {
      const ids = await walk(t, t.a.adminToken, `sort=${encodeURIComponent(sort)}`, limit);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expected);
      record(`sort ${sort} ${limit}`, ids);
    }
  });

  it("combines filters, q, linked and a field sort", async () => {
    const cases: { query: string; keep: (c: CustomerRecord) => boolean; sort: string }[] = [
      {
        query: `${q("arr", "gt", "1000")}&${q("arr", "lte", "400000")}&${q("industry", "in", "Software,Retail")}`,
        keep: (c) => typeof c.fields["arr"] === "number" && c.fields["arr"] > 1000 && c.fields["arr"] <= 400000 && ["Software", "Retail"].includes(c.fields["industry"] as string),
        sort: "-field:arr",
      },
      { query: "q=ACME", keep: (c) => c.name.toLowerCase().includes("acme"), sort: "name" },
      { query: "q=%C3%A7a", keep: (c) => c.name.toLowerCase().includes("ça"), sort: "-createdAt" },
      { query: "q=site1-1", keep: (c) => c.domains.some((d) => d.includes("site1-1")), sort: "name" },
      { query: "q=100%25", keep: (c) => c.name.includes("100%"), sort: "name" },
      { query: "linked=true", keep: (c) => a.linked.has(c.id), sort: "field:renewal" },
      { query: `linked=false&${q("tags", "contains", "a")}&${q("vip", "neq", "true")}`, keep: (c) => !a.linked.has(c.id) && ((c.fields["tags"] as string[] | undefined) ?? []).includes("a") && c.fields["vip"] !== true, sort: "-field:note" },
    ];
    for (const c of cases) {
      const expected = expectedOrder(a, c.sort, a.customers.filter(c.keep));
      expect(expected.length).toBeGreaterThan(0);
      const ids = await walk(t, t.a.adminToken, `${c.query}&sort=${encodeURIComponent(c.sort)}`, 9);
      expect(ids).toEqual(expected);
      record(`combined ${c.query} ${c.sort}`, ids);
      const params = [...new URLSearchParams(c.query)].filter(([name]) => name.startsWith("filter"));
      if (params.length === 0 || c.query.includes("q=") || c.query.includes("linked=")) continue;
      for (const [, plan] of plans) expect(await walkPlan(t, t.a.id, Object.values(a.fields), c.sort, params, plan, 9)).toEqual(expected);
    }
  });

  it("lists only the caller's workspace", async () => {
    const bIds = new Set(b.customers.map((c) => c.id));
    const all = await walk(t, t.a.memberToken, "", 200);
    expect(all.length).toBe(a.customers.length);
    expect(all.some((id) => bIds.has(id))).toBe(false);
    const fromB = await walk(t, t.b.memberToken, "sort=-field:arr", 200);
    expect(new Set(fromB)).toEqual(bIds);
  });

  it.each([
    ["unknown field", "filter[nope][eq]=1", "invalid_filter"],
    ["unknown operator", "filter[arr][between]=1", "invalid_filter"],
    ["operator not for the type", "filter[note][gt]=a", "invalid_filter"],
    ["eq on multi_select", "filter[tags][eq]=a", "invalid_filter"],
    ["number filter with text", "filter[arr][gt]=lots", "invalid_filter"],
    ["select value outside options", "filter[industry][eq]=Mining", "invalid_filter"],
    ["bad date", "filter[renewal][lt]=2024-13-01", "invalid_filter"],
    ["empty in-list", "filter[arr][in]=,", "invalid_filter"],
    ["missing operator", "filter[arr]=1", "invalid_filter"],
    ["same filter twice", "filter[arr][gt]=1&filter[arr][gt]=2", "invalid_filter"],
    ["unknown sort", "sort=colour", "validation_failed"],
    ["sort by unknown field", "sort=field:nope", "validation_failed"],
    ["limit too large", "limit=201", "validation_failed"],
    ["limit zero", "limit=0", "validation_failed"],
    ["garbage cursor", "cursor=abc", "invalid_cursor"],
    ["cursor of another sort", "sort=field:arr&cursor=" + Buffer.from(JSON.stringify(["x", "y"])).toString("base64url"), "invalid_cursor"],
    ["linked not a boolean", "linked=maybe", "validation_failed"],
  ])("refuses %s with 400 %s", async (_name, query, code) => {
    const res = await t.request(t.a.adminToken, "GET", `/api/v1/customers?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code } });
  });

  describe("insights", () => {
    interface Bucket {
      key: string;
      label: string;
      count: number;
      from?: string | number;
      to?: string | number;
    }
    const breakdown = async (key: string, token = t.a.memberToken) => {
      const res = await t.request(token, "GET", `/api/v1/insights/customers?by=${key}`);
      expect(res.statusCode).toBe(200);
      const body = res.json<{ field: { key: string }; buckets: Bucket[]; total: number }>();
      record(`insights ${key} ${token === t.a.memberToken ? "a" : "b"}`, body);
      return body;
    };
    const values = (key: string) => a.customers.map((c) => c.fields[key]).filter((v): v is FieldValue => v !== undefined);
    const none = (key: string) => ({ key: "__none__", label: "(none)", count: a.customers.length - values(key).length });

    it("counts select values per option, in option order, zeros included", async () => {
      const body = await breakdown("industry");
      expect(body.total).toBe(a.customers.length);
      expect(body.buckets).toEqual([...industries.map((v) => ({ key: v, label: v, count: values("industry").filter((x) => x === v).length })), none("industry")]);
    });

    it("counts multi_select values once per option a customer has", async () => {
      const body = await breakdown("tags");
      expect(body.buckets).toEqual([
        ...tagOptions.map((v) => ({ key: v, label: v.toUpperCase(), count: values("tags").filter((x) => (x as string[]).includes(v)).length })),
        none("tags"),
      ]);
    });

    it("counts yes/no", async () => {
      const body = await breakdown("vip");
      expect(body.buckets).toEqual([
        { key: "yes", label: "Yes", count: values("vip").filter((v) => v === true).length },
        { key: "no", label: "No", count: values("vip").filter((v) => v === false).length },
        none("vip"),
      ]);
    });

    it("keeps the 50 most frequent text values and sums the rest into (other)", async () => {
      const counts = new Map<string, number>();
      for (const v of values("code")) counts.set(v as string, (counts.get(v as string) ?? 0) + 1);
      expect(counts.size).toBeGreaterThan(50);
      const ranked = [...counts].sort(([x, n], [y, m]) => m - n || bytes(x, y));
      const top = ranked.slice(0, 50).map(([key, count]) => ({ key, label: key, count }));
      const other = ranked.slice(50).reduce((sum, [, n]) => sum + n, 0);
      const body = await breakdown("code");
      expect(body.buckets).toEqual([...top, { key: "__other__", label: "(other)", count: other }, none("code")]);
      const small = await breakdown("note");
      expect(small.buckets.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(a.customers.length);
    });

    it("counts numbers in at most 10 round ranges covering min..max", async () => {
      const nums = values("arr") as number[];
      const min = Math.min(...nums);
      const max = Math.max(...nums);
      const edges = numberBucketEdges(min, max);
      expect(edges.length - 1).toBeLessThanOrEqual(10);
      expect(edges[0]).toBeLessThanOrEqual(min);
      expect(edges[edges.length - 1]).toBeGreaterThan(max);
      const body = await breakdown("arr");
      const expected = edges.slice(0, -1).map((from, i) => {
        const to = edges[i + 1]!;
        const last = i === edges.length - 2;
        return { from, to, count: nums.filter((n) => n >= from && (last ? n <= to : n < to)).length };
      });
      expect(body.buckets.slice(0, -1).map(({ from, to, count }) => ({ from, to, count }))).toEqual(expected);
      expect(body.buckets.at(-1)).toEqual(none("arr"));
    });

    it("counts dates per UTC month, gaps filled with zero", async () => {
      const months = new Map<string, number>();
      for (const v of values("renewal")) {
        const m = new Date(epoch(v)).toISOString().slice(0, 7);
        months.set(m, (months.get(m) ?? 0) + 1);
      }
      const body = await breakdown("renewal");
      const buckets = body.buckets.slice(0, -1);
      expect(buckets[0]?.key).toBe([...months.keys()].sort()[0]);
      expect(buckets.at(-1)?.key).toBe([...months.keys()].sort().at(-1));
      // Consecutive months, each with its count.
      for (const [i, bucket] of buckets.entries()) {
        expect(bucket.count).toBe(months.get(bucket.key) ?? 0);
        if (i > 0) expect(bucket.from).toBe(buckets[i - 1]!.to);
      }
      expect(buckets.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(values("renewal").length);
      expect(body.buckets.at(-1)).toEqual(none("renewal"));
    });

    it("counts only the caller's workspace, and knows only its fields", async () => {
      const body = await breakdown("industry", t.b.memberToken);
      expect(body.total).toBe(b.customers.length);
      const res = await t.request(t.a.memberToken, "GET", "/api/v1/insights/customers?by=nope");
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ error: { code: "field_unknown" } });
    });
  });
});

describe("SQLite and PostgreSQL", () => {
  it("gave identical responses to every list and insights request above", () => {
    const [first, second] = dialects.map((d) => answers[d] ?? {});
    expect(Object.keys(first ?? {}).length).toBeGreaterThan(filterCases.length + sorts.length);
    expect(second).toEqual(first);
  });
});
