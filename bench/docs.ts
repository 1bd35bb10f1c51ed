// Refreshes the figures in docs/benchmarks.md from bench/results/<size>.json, between the
// results markers, so the document always shows what the last saved runs measured.
//
//   node --import tsx bench/docs.ts
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { BenchReport } from "./lib/bench.ts";
import { renderMarkdown } from "./lib/report.ts";
import { sizes } from "./lib/sizes.ts";

const results = fileURLToPath(new URL("./results/", import.meta.url));
const docPath = fileURLToPath(new URL("../docs/benchmarks.md", import.meta.url));
const start = "<!-- results:start (bench/docs.ts writes this part) -->";
const end = "<!-- results:end -->";

const sections: string[] = [];
for (const size of Object.keys(sizes)) {
  const file = `${results}${size}.json`;
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, "utf8")) as BenchReport;
  const chart = existsSync(`${results}${size}-chart.svg`) ? `\n![CRM calls and time at HubSpot's limits, ${size}](../bench/results/${size}-chart.svg)\n` : "";
  // The report's headings start at level 2; in the document they sit one level lower.
  sections.push(renderMarkdown(report).replace(/^(#+) /gm, "#$1 ") + chart);
}
const doc = readFileSync(docPath, "utf8");
const from = doc.indexOf(start);
const to = doc.indexOf(end);
if (from < 0 || to < from) throw new Error(`docs/benchmarks.md lacks the markers ${start} … ${end}`);
writeFileSync(docPath, `${doc.slice(0, from + start.length)}\n\n${sections.join("\n")}\n${doc.slice(to)}`);
console.log(`docs/benchmarks.md: figures of ${sections.length} size(s) refreshed`);
