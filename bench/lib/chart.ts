// A small SVG chart, no dependencies: CRM calls and time at HubSpot's limits per scenario,
// crmsync against the naive baseline, on log scales (the baseline is orders of magnitude off).
import type { BenchReport } from "./bench.ts";
import { contactRuns } from "./contact-runs.ts";
import { duration, int } from "./format.ts";

interface Bar {
  label: string;
  value: number;
  text: string;
  baseline: boolean;
}

const colors = { ours: "#2b6cb0", baseline: "#c05621", axis: "#4a5568", grid: "#e2e8f0", text: "#1a202c" } as const;

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function panel(title: string, bars: Bar[], x: number, y: number, width: number): string {
  const labelWidth = 190;
  const rowHeight = 34;
  const plotWidth = width - labelWidth - 90;
  const values = bars.map((b) => Math.max(b.value, 1e-3));
  const top = Math.ceil(Math.log10(Math.max(10, ...values)));
  const bottom = Math.min(0, Math.floor(Math.log10(Math.min(...values))));
  const scale = (v: number) => ((Math.log10(Math.max(v, 10 ** bottom)) - bottom) / (top - bottom)) * plotWidth;
  const parts: string[] = [`<text x="${x}" y="${y}" font-size="14" font-weight="bold" fill="${colors.text}">${escape(title)}</text>`];
  const plotTop = y + 14;
  for (let p = bottom; p <= top; p++) {
    const gx = x + labelWidth + ((p - bottom) / (top - bottom)) * plotWidth;
    parts.push(`<line x1="${gx.toFixed(1)}" y1="${plotTop}" x2="${gx.toFixed(1)}" y2="${plotTop + bars.length * rowHeight}" stroke="${colors.grid}"/>`);
    parts.push(`<text x="${gx.toFixed(1)}" y="${plotTop + bars.length * rowHeight + 14}" font-size="10" text-anchor="middle" fill="${colors.axis}">${escape(p < 0 ? String(10 ** p) : int(10 ** p))}</text>`);
  }
  bars.forEach((bar, i) => {
    const by = plotTop + i * rowHeight + 6;
    const w = Math.max(1, scale(bar.value));
    parts.push(`<text x="${x + labelWidth - 8}" y="${by + 15}" font-size="12" text-anchor="end" fill="${colors.text}">${escape(bar.label)}</text>`);
    parts.push(`<rect x="${x + labelWidth}" y="${by}" width="${w.toFixed(1)}" height="22" fill="${bar.baseline ? colors.baseline : colors.ours}"/>`);
    parts.push(`<text x="${(x + labelWidth + w + 6).toFixed(1)}" y="${by + 15}" font-size="11" fill="${colors.text}">${escape(bar.text)}</text>`);
  });
  return parts.join("\n");
}

export function renderChart(report: BenchReport): string | null {
  const { full, incremental, manualLink, naive } = report.scenarios;
  const rows: Array<{ label: string; calls: number; seconds: number; baseline: boolean }> = [];
  if (full) rows.push({ label: "crmsync full sync", calls: full.calls.total, seconds: full.calls.timeAtLimits.seconds, baseline: false });
  if (incremental) rows.push({ label: "crmsync incremental (1%)", calls: incremental.calls.total, seconds: incremental.calls.timeAtLimits.seconds, baseline: false });
  if (manualLink) {
    const per = manualLink.calls.total / (manualLink.details.links + manualLink.details.warmup);
    rows.push({ label: "crmsync Save & Sync (1 link)", calls: per, seconds: manualLink.calls.timeAtLimits.seconds / (manualLink.details.links + manualLink.details.warmup), baseline: false });
  }
  const contactLabels = { full: "contacts: full inbound", incremental: "contacts: incremental (1%)", firstReconcile: "contacts: first reconcile", nightlyReconcile: "contacts: nightly reconcile" } as const;
  for (const { key, report: run } of contactRuns(report.scenarios.contacts)) {
    rows.push({ label: contactLabels[key], calls: run.calls.total, seconds: run.calls.timeAtLimits.seconds, baseline: false });
  }
  if (naive) rows.push({ label: "naive baseline, first sync", calls: naive.scaledCalls.total, seconds: naive.scaledCalls.timeAtLimits.seconds, baseline: true });
  if (rows.length === 0) return null;
  const width = 720;
  const height = 80 + rows.length * 34 * 2 + 80;
  const callsPanel = panel(
    "CRM calls (log scale)",
    rows.map((r) => ({ label: r.label, value: r.calls, text: int(r.calls), baseline: r.baseline })),
    10,
    72,
    width,
  );
  const timePanel = panel(
    "Time at HubSpot's limits, seconds (log scale)",
    rows.map((r) => ({ label: r.label, value: r.seconds, text: duration(r.seconds), baseline: r.baseline })),
    10,
    72 + rows.length * 34 + 50,
    width,
  );
  const title = `crmsync, ${report.size}: ${int(report.customers.total)} customers, ${int(report.portal.companies)} companies, ${int(report.portal.deals)} deals, ${int(report.portal.contacts)} contacts`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold" fill="${colors.text}">${escape(title)}</text>`,
    `<text x="10" y="40" font-size="11" fill="${colors.axis}">blue: crmsync through its real engine; orange: the naive baseline (bench/naive-baseline.ts).</text>`,
    `<text x="10" y="54" font-size="11" fill="${colors.axis}">Time at limits: 110 calls per 10 s, search 5 per s. Measured by npm run bench.</text>`,
    callsPanel,
    timePanel,
    "</svg>",
  ].join("\n");
}
