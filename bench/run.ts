// npm run bench -- --size small|medium|large|1m [--scenario NAME ...] [--json] [--dialect sqlite|postgres|sqlite,postgres]
//
// Measures what syncing costs: CRM calls by endpoint against the lower bound, the time those
// calls need at HubSpot's real limits, wall time and records per second with the limits off,
// and peak memory, beside a naive baseline and the official SDK. See docs/benchmarks.md.
import { mkdirSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import type { Dialect } from "../src/db/database.ts";
import { isScenarioName, runBench, scenarioNames, type ScenarioName } from "./lib/bench.ts";
import { renderChart } from "./lib/chart.ts";
import { renderMarkdown, resultName } from "./lib/report.ts";
import { renderSideBySide } from "./lib/side-by-side.ts";
import { isSizeName, sizes } from "./lib/sizes.ts";

const usage = `usage: npm run bench -- [--size small|medium|large|1m] [--scenario ${scenarioNames.join("|")}]... [--json] [--dialect sqlite|postgres|sqlite,postgres]
       [--naive-sample N|all] [--links N] [--contacts N] [--cpu-prof DIR] [--save | --no-save]`;

const { values: args } = parseArgs({
  options: {
    size: { type: "string", default: "small" },
    scenario: { type: "string", multiple: true },
    json: { type: "boolean", default: false },
    dialect: { type: "string", default: "sqlite" },
    "naive-sample": { type: "string" },
    links: { type: "string", default: "200" },
    contacts: { type: "string" },
    "cpu-prof": { type: "string" },
    save: { type: "boolean" },
    "no-save": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

function fail(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

if (args.help) {
  console.log(usage);
  process.exit(0);
}
const size = args.size;
if (!isSizeName(size)) fail(`unknown size "${size}"; sizes: ${Object.keys(sizes).join(", ")}`);
// Several databases (comma-separated) are measured side by side: each scenario on one, then on the next.
const dialects = [...new Set(args.dialect.split(",").map((d) => d.trim()))];
for (const d of dialects) if (d !== "sqlite" && d !== "postgres") fail(`unknown dialect "${d}"`);
const requested = (args.scenario ?? []).flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean);
for (const s of requested) if (!isScenarioName(s)) fail(`unknown scenario "${s}"`);
const scenarios: ScenarioName[] = requested.length > 0 ? (requested as ScenarioName[]) : [...scenarioNames];
const links = Number(args.links);
if (!Number.isInteger(links) || links < 1) fail("--links takes a positive whole number");
let naiveSample: number | null | undefined;
if (args["naive-sample"] !== undefined) {
  naiveSample = args["naive-sample"] === "all" ? null : Number(args["naive-sample"]);
  if (naiveSample !== null && (!Number.isInteger(naiveSample) || naiveSample < 1)) fail("--naive-sample takes a positive whole number or all");
}
// Another contact count than the size's: a run at another scale, never saved as the size's figures.
let contacts: number | undefined;
if (args.contacts !== undefined) {
  contacts = Number(args.contacts);
  if (!Number.isInteger(contacts) || contacts < 1) fail("--contacts takes a positive whole number");
  if (args.save) fail("--contacts runs are not saved: the saved figures are the size's own");
}
const complete = scenarioNames.every((s) => scenarios.includes(s));
const save = args["no-save"] || contacts !== undefined ? false : (args.save ?? complete);

const began = performance.now();
const log = (line: string): void => {
  process.stderr.write(`[${((performance.now() - began) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
};

const reports = await runBench({
  size,
  dialects: dialects as Dialect[],
  scenarios,
  naiveSample,
  manualLinks: links,
  contacts,
  cpuProf: args["cpu-prof"],
  log,
});

const [first, second] = reports;
const comparison = first && second ? renderSideBySide(first, second) : null;
const markdowns = reports.map((report, i) => (i === 1 && comparison ? `${comparison}\n${renderMarkdown(report)}` : renderMarkdown(report)));
if (args.json) console.log(JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2));
else console.log(`\n${markdowns.join("\n")}`);

if (save) {
  const dir = fileURLToPath(new URL("./results/", import.meta.url));
  mkdirSync(dir, { recursive: true });
  reports.forEach((report, i) => {
    const name = resultName(size, report.dialect);
    writeFileSync(`${dir}${name}.json`, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(`${dir}${name}.md`, `${markdowns[i]}\n`);
    const chart = renderChart(report);
    if (chart) writeFileSync(`${dir}${name}-chart.svg`, `${chart}\n`);
    log(`saved bench/results/${name}.{md,json}${chart ? ` and ${name}-chart.svg` : ""}`);
  });
} else {
  log(`not saved (${contacts !== undefined ? "--contacts" : complete ? "--no-save" : "a partial run; --save saves it"})`);
}
