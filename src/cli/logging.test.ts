import { describe, expect, it } from "vitest";
import { createLogger } from "./logging.ts";

/** A stream that keeps what was written, a terminal or not. */
function output(isTTY: boolean): { lines: string[]; write(chunk: string): boolean; isTTY: boolean } {
  const lines: string[] = [];
  return { lines, isTTY, write: (chunk) => lines.push(...chunk.split("\n").filter(Boolean)) > 0 };
}

describe("createLogger", () => {
  it("writes JSON lines when the output is not a terminal", () => {
    const out = output(false);
    createLogger({ logLevel: "info", logFormat: "auto" }, out).info({ runId: "r1" }, "run finished");
    expect(JSON.parse(out.lines[0]!)).toMatchObject({ level: 30, msg: "run finished", runId: "r1" });
  });

  it("writes readable lines on a terminal, and when asked to", () => {
    for (const [isTTY, logFormat] of [[true, "auto"], [false, "pretty"]] as const) {
      const out = output(isTTY);
      createLogger({ logLevel: "info", logFormat }, out).warn({ runId: "r1" }, "run stopped");
      expect(out.lines[0]).toMatch(/^\d\d:\d\d:\d\d WARN {2}run stopped {2}runId=r1$/);
    }
  });

  it("writes JSON on a terminal when LOG_FORMAT=json, and nothing below the level", () => {
    const out = output(true);
    const logger = createLogger({ logLevel: "warn", logFormat: "json" }, out);
    logger.info("quiet");
    logger.error("loud");
    expect(out.lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(["loud"]);
  });

  it("never logs credentials from request headers", () => {
    const out = output(false);
    createLogger({ logLevel: "info", logFormat: "json" }, out).info({ req: { headers: { authorization: "Bearer cst_secret", cookie: "crmsync_session=css_secret" } } }, "incoming request");
    expect(out.lines[0]).not.toContain("secret");
  });
});
