// A PLAIN SDK PROGRAM — not crmsync's engine. The first account sync as a short program with
// the official SDK would do it, for the benchmark's CPU comparison (issue 16): getAll() of every
// company and of every deal with its companies, a domain map in memory, and the links and the
// imported values written to its own SQLite file in one transaction. It keeps no mirror, so it
// cannot run incrementally (every run reads everything again) nor resume after a crash, and it
// leaves ambiguities unreported. It reads the customers' domains from crmsync's database and
// normalises the companies' domains with crmsync's rules, so its links can be checked equal to
// crmsync's, and picks the same deal (the newest created, ties to the highest id).
import { createHash } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Client } from "@hubspot/api-client";
import SQLite from "better-sqlite3";
import { companyDomains } from "../src/connectors/hubspot/mappers.ts";
import { openDatabase } from "../src/db/database.ts";
import type { BenchEnv } from "./lib/env.ts";
import { importedFields } from "./lib/setup.ts";

export interface SdkProgramResult {
  companies: number;
  deals: number;
  linked: number;
  withDeal: number;
  valuesWritten: number;
  /** sha256 of the sorted `customer company deal` lines, to compare with crmsync's links. */
  linksDigest: string;
  wallMs: number;
  cpuMs: number;
}

/** The digest both sides' links are compared by. */
export function digestLinks(links: Iterable<{ customerId: string; companyId: string; dealId: string | null }>): string {
  const lines = [...links].map((l) => `${l.customerId} ${l.companyId} ${l.dealId ?? "-"}`).sort();
  return createHash("sha256").update(lines.join("\n")).digest("hex");
}

const companyFields = importedFields.filter((f) => f.object === "company").map((f) => f.name);
const dealFields = importedFields.filter((f) => f.object === "deal").map((f) => f.name);

function newer(a: { id: string; createdMs: number }, b: { id: string; createdMs: number }): boolean {
  if (a.createdMs !== b.createdMs) return a.createdMs > b.createdMs;
  return a.id.length !== b.id.length ? a.id.length > b.id.length : a.id > b.id;
}

export async function runSdkProgram(env: BenchEnv): Promise<SdkProgramResult> {
  const database = openDatabase(env.target, { poolSize: 2 });
  const file = join(tmpdir(), `crmsync-bench-sdk-${process.pid}.sqlite`);
  const started = performance.now();
  const cpu = process.cpuUsage();
  try {
    const rows = await database.db.selectFrom("customer_domains").select(["customer_id", "domain"]).where("workspace_id", "=", env.workspaceId).execute();
    const domainsByCustomer = new Map<string, string[]>();
    for (const row of rows) domainsByCustomer.set(row.customer_id, [...(domainsByCustomer.get(row.customer_id) ?? []), row.domain]);

    const client = new Client({ accessToken: env.emulatorToken, basePath: env.emulatorUrl });
    const companies = await client.crm.companies.getAll(100, undefined, ["domain", "hs_additional_domains", ...companyFields]);
    const deals = await client.crm.deals.getAll(100, undefined, ["createdate", ...dealFields], undefined, ["companies"]);

    const byDomain = new Map<string, Set<string>>();
    const companyById = new Map<string, Record<string, string | null>>();
    for (const company of companies) {
      companyById.set(company.id, company.properties);
      for (const domain of companyDomains(company.properties)) {
        const ids = byDomain.get(domain) ?? new Set<string>();
        ids.add(company.id);
        byDomain.set(domain, ids);
      }
    }
    const newestDeal = new Map<string, { id: string; createdMs: number; properties: Record<string, string | null> }>();
    for (const deal of deals) {
      const createdMs = Date.parse(deal.properties["createdate"] ?? "") || Number.NEGATIVE_INFINITY;
      const candidate = { id: deal.id, createdMs, properties: deal.properties };
      for (const { id: companyId } of deal.associations?.["companies"]?.results ?? []) {
        const best = newestDeal.get(companyId);
        if (!best || newer(candidate, best)) newestDeal.set(companyId, candidate);
      }
    }

    const links: { customerId: string; companyId: string; dealId: string | null }[] = [];
    for (const [customerId, domains] of domainsByCustomer) {
      const matches = new Set<string>();
      for (const domain of domains) for (const id of byDomain.get(domain) ?? []) matches.add(id);
      if (matches.size !== 1) continue;
      const [companyId] = matches;
      links.push({ customerId, companyId: companyId!, dealId: newestDeal.get(companyId!)?.id ?? null });
    }

    const sqlite = new SQLite(file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.exec("CREATE TABLE links (customer_id TEXT PRIMARY KEY, company_id TEXT NOT NULL, deal_id TEXT)");
    sqlite.exec("CREATE TABLE field_values (customer_id TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (customer_id, field))");
    const insertLink = sqlite.prepare("INSERT INTO links VALUES (?, ?, ?)");
    const insertValue = sqlite.prepare("INSERT INTO field_values VALUES (?, ?, ?)");
    let valuesWritten = 0;
    sqlite.transaction(() => {
      for (const link of links) {
        insertLink.run(link.customerId, link.companyId, link.dealId);
        const company = companyById.get(link.companyId) ?? {};
        const deal = link.dealId ? (newestDeal.get(link.companyId)?.properties ?? {}) : {};
        for (const [field, value] of [...companyFields.map((f) => [f, company[f]] as const), ...dealFields.map((f) => [f, deal[f]] as const)]) {
          if (value === null || value === undefined || value === "") continue;
          insertValue.run(link.customerId, field, value);
          valuesWritten++;
        }
      }
    })();
    sqlite.close();
    const used = process.cpuUsage(cpu);
    return {
      companies: companies.length,
      deals: deals.length,
      linked: links.length,
      withDeal: links.filter((l) => l.dealId !== null).length,
      valuesWritten,
      linksDigest: digestLinks(links),
      wallMs: performance.now() - started,
      cpuMs: (used.user + used.system) / 1000,
    };
  } finally {
    await database.close();
    rmSync(file, { force: true });
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
  }
}
