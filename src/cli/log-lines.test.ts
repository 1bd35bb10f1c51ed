import { describe, expect, it } from "vitest";
import { prettyLogLine } from "./log-lines.ts";

const at = new Date(2026, 11, 3, 9, 5, 7).getTime();

describe("prettyLogLine", () => {
  it("shows time, level and message, then the other fields as key=value", () => {
    const line = JSON.stringify({ level: 30, time: at, pid: 1, hostname: "h", msg: "schedule fired", schedule: "account-sync", jobs: 2, note: "two words" });
    expect(prettyLogLine(line)).toBe('09:05:07 INFO  schedule fired  schedule=account-sync jobs=2 note="two words"');
  });

  it("says a request as a person does: method, path, status, duration", () => {
    expect(prettyLogLine(JSON.stringify({ level: 30, time: at, msg: "incoming request", reqId: "req-1", req: { method: "GET", url: "/healthz" } }))).toBe(
      "09:05:07 INFO  incoming request  GET /healthz  reqId=req-1",
    );
    expect(prettyLogLine(JSON.stringify({ level: 30, time: at, msg: "request completed", reqId: "req-1", res: { statusCode: 200 }, responseTime: 12.4 }))).toBe(
      "09:05:07 INFO  request completed  200 12ms  reqId=req-1",
    );
  });

  it("puts an error's stack under the line, indented", () => {
    const line = JSON.stringify({ level: 50, time: at, msg: "job failed", job: "j1", err: { type: "Error", message: "boom", stack: "Error: boom\n    at run (x.ts:1:1)" } });
    expect(prettyLogLine(line)).toBe("09:05:07 ERROR job failed  job=j1\n    Error: boom\n        at run (x.ts:1:1)");
  });

  it("passes a line that is not JSON through unchanged", () => {
    expect(prettyLogLine("plain text\n")).toBe("plain text");
  });
});
