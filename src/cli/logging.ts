// The process's one logger (pino), shared by the HTTP server, the sync worker and the database
// pools. Readable lines on a terminal, JSON lines anywhere else (files, pipes, log collectors),
// unless LOG_FORMAT says which. See docs/decisions/0031-log-format.md.
import { pino, type Logger } from "pino";
import type { Config } from "../config.ts";
import { prettyLogLine } from "./log-lines.ts";

export type { Logger };

interface Output {
  write(chunk: string): boolean;
  isTTY?: boolean;
}

/** Writes pino's JSON lines as readable ones. */
function prettyStream(out: Output): { write(line: string): void } {
  return { write: (line) => void out.write(`${prettyLogLine(line)}\n`) };
}

export function wantsPrettyLogs(format: Config["logFormat"], out: Output): boolean {
  return format === "pretty" || (format === "auto" && out.isTTY === true);
}

export function createLogger(config: Pick<Config, "logLevel" | "logFormat">, out: Output = process.stdout): Logger {
  return pino(
    {
      level: config.logLevel,
      // Credentials never reach a log line.
      redact: ["req.headers.authorization", "req.headers.cookie", 'res.headers["set-cookie"]'],
    },
    wantsPrettyLogs(config.logFormat, out) ? prettyStream(out) : out,
  );
}
