// Turns one pino JSON log line into a line a person reads on a terminal:
//   15:21:33 INFO  request completed  GET /api/v1/customers 200 12ms  reqId=req-1
// Pure, so the format is tested without a terminal.

const levelNames: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL" };

/** Fields every line has, or that the line's head already shows. */
const shownElsewhere = new Set(["level", "time", "msg", "pid", "hostname", "req", "res", "responseTime", "err", "error"]);

function clock(time: unknown): string {
  const date = typeof time === "number" ? new Date(time) : new Date();
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, "0")).join(":");
}

function scalar(value: unknown): string {
  if (typeof value === "string") return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/** Fastify's request and response fields, as a person says them: GET /path 200 12ms. */
function requestPart(entry: Record<string, unknown>): string {
  const req = entry["req"] as { method?: string; url?: string } | undefined;
  const res = entry["res"] as { statusCode?: number } | undefined;
  const parts = [
    req?.method && req.url ? `${req.method} ${req.url}` : "",
    res?.statusCode !== undefined ? String(res.statusCode) : "",
    typeof entry["responseTime"] === "number" ? `${Math.round(entry["responseTime"])}ms` : "",
  ];
  return parts.filter(Boolean).join(" ");
}

function errorPart(entry: Record<string, unknown>): string {
  const err = (entry["err"] ?? entry["error"]) as { stack?: string; message?: string } | string | undefined;
  if (err === undefined) return "";
  const text = typeof err === "string" ? err : (err.stack ?? err.message ?? JSON.stringify(err));
  return `\n    ${text.split("\n").join("\n    ")}`;
}

export function prettyLogLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const level = levelNames[entry["level"] as number] ?? String(entry["level"]);
  const fields = Object.entries(entry)
    .filter(([key]) => !shownElsewhere.has(key))
    .map(([key, value]) => `${key}=${scalar(value)}`)
    .join(" ");
  const head = [clock(entry["time"]), level.padEnd(5), String(entry["msg"] ?? "")].join(" ");
  return [head, requestPart(entry), fields].filter(Boolean).join("  ") + errorPart(entry);
}
