// Refreshes the figures in docs/benchmarks.md from bench/results/<size>[-postgres].json, between the
// results markers, so the document always shows what the last saved runs measured.
//
//   node --import tsx bench/docs.ts
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { BenchReport } from "./lib/bench.ts";
import { renderMarkdown, resultName } from "./lib/report.ts";
import { renderSideBySide } from "./lib/side-by-side.ts";
import { sizes } from "./lib/sizes.ts";

const results = fileURLToPath(new URL("./results/", import.meta.url));
const docPath = fileURLToPath(new URL("../docs/benchmarks.md", import.meta.url));
const start = "<!-- results:start (bench/docs.ts writes this part) -->";
const end = "<!-- results:end -->";

function load(name: string): BenchReport | null {
  const file = `${results}${name}.json`;
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as BenchReport) : null;
}

// The report's headings start at level 2; in the document they sit one level lower.
const demote = (markdown: string) => markdown.replace(/^(#+) /gm, "#$1 ");

const sections: string[] = [];
for (const size of Object.keys(sizes)) {
  for (const dialect of ["sqlite", "postgres"] as const) {
    const name = resultName(size, dialect);
    const report = load(name);
    if (!report) continue;
    const chart = existsSync(`${results}${name}-chart.svg`) ? `\n![CRM calls and time at HubSpot's limits, ${size} (${dialect})](../bench/results/${name}-chart.svg)\n` : "";
    // A PostgreSQL report measured side by side with SQLite's saved one opens with the comparison.
    const sqlite = dialect === "postgres" ? load(resultName(size, "sqlite")) : null;
    const paired = sqlite && report.sideBySide && sqlite.sideBySide?.startedAt === report.sideBySide.startedAt;
    sections.push((paired ? demote(renderSideBySide(sqlite, report)) + "\n" : "") + demote(renderMarkdown(report)) + chart);
  }
}
const doc = readFileSync(docPath, "utf8");
const from = doc.indexOf(start);
const to = doc.indexOf(end);
if (from < 0 || to < from) throw new Error(`docs/benchmarks.md lacks the markers ${start} … ${end}`);
writeFileSync(docPath, `${doc.slice(0, from + start.length)}\n\n${sections.join("\n")}\n${doc.slice(to)}`);
console.log(`docs/benchmarks.md: figures of ${sections.length} size(s) refreshed`);
