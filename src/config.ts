// The one place that reads process.env. Everything else receives a typed Config.
import { z } from "zod";

const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
/** auto: readable lines on a terminal, JSON lines otherwise (a file, a pipe, a log collector). */
const logFormats = ["auto", "pretty", "json"] as const;

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .refine((v) => v.startsWith("postgres://") || v.startsWith("postgresql://") || v.startsWith("sqlite:") || v.endsWith(".db") || v.endsWith(".sqlite"), {
      message: "must be postgres://…, sqlite:<path>, or a path ending in .db",
    })
    .optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.string().url().optional(),
  CRMSYNC_SECRET: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, { message: "must be 64 hex characters (a 256-bit key)" })
    .optional(),
  HUBSPOT_CLIENT_ID: z.string().min(1).optional(),
  HUBSPOT_CLIENT_SECRET: z.string().min(1).optional(),
  HUBSPOT_BASE_URL: z.string().url().optional(),
  HUBSPOT_AUTHORIZE_URL: z.string().url().optional(),
  HUBSPOT_PRIVATE_APP_LIMIT: z.coerce.number().int().min(10).max(1000).default(100),
  HUBSPOT_RESERVED_SHARE: z.coerce.number().min(0).max(0.9).default(0.1),
  SALESFORCE_CLIENT_ID: z.string().min(1).optional(),
  SALESFORCE_CLIENT_SECRET: z.string().min(1).optional(),
  SALESFORCE_LOGIN_URL: z.string().url().default("https://login.salesforce.com"),
  SALESFORCE_SANDBOX_LOGIN_URL: z.string().url().default("https://test.salesforce.com"),
  SALESFORCE_RUN_SHARE: z.coerce.number().gt(0).max(1).default(0.25),
  SALESFORCE_USAGE_CEILING: z.coerce.number().gt(0).max(1).default(0.8),
  LOG_LEVEL: z.enum(logLevels).default("info"),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(43_200).default(720),
  LOG_FORMAT: z.enum(logFormats).default("auto"),
  SMTP_URL: z
    .string()
    .url()
    .refine((v) => /^smtps?:\/\/[^/?#]+/i.test(v), { message: "must be smtp://[user:pass@]host[:port] or smtps://…" })
    .optional(),
  // A bare address or "Name <address>"; nodemailer parses it, this only catches obvious mistakes.
  SMTP_FROM: z
    .string()
    .regex(/^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, { message: 'must be an address such as crmsync@example.com or "crmsync <crmsync@example.com>"' })
    .optional(),
});

export type DatabaseTarget = { dialect: "sqlite"; file: string } | { dialect: "postgres"; url: string };

export interface Config {
  database: DatabaseTarget;
  /** Whether DATABASE_URL was set (else the SQLite file in DATA_DIR): which variable a database problem names. */
  databaseUrlGiven: boolean;
  dataDir: string;
  host: string;
  port: number;
  publicUrl: string | undefined;
  /** Hex key for AES-256-GCM; undefined means "embedded mode: generate or read one in dataDir". */
  secret: string | undefined;
  hubspot: {
    clientId: string | undefined;
    clientSecret: string | undefined;
    baseUrl: string;
    authorizeUrl: string;
    /** Calls per 10 s of the portal's private-app tier (100 Free/Starter, 190 Professional/Enterprise). */
    privateAppLimit: number;
    /** Share of the portal's API budget left free for its other integrations. */
    reservedShare: number;
  };
  salesforce: {
    clientId: string | undefined;
    clientSecret: string | undefined;
    loginUrls: { production: string; sandbox: string };
    /** Share of what remains of the org's daily API allocation one run may spend. */
    runShare: number;
    /** Share of the org's daily allocation crmsync never pushes usage past. */
    usageCeiling: number;
  };
  logLevel: (typeof logLevels)[number];
  /** A sign-in session unused this long ends (it ends after 30 days whatever its use). */
  sessionIdleMinutes: number;
  logFormat: (typeof logFormats)[number];
  /** Outgoing mail for notifications; null means in-app notifications only. */
  smtp: { url: string; from: string } | null;
}

export interface ConfigProblem {
  variable: string;
  detail: string;
}

/** Every bad variable at once, so a start fails once, not once per mistake. */
export class ConfigError extends Error {
  readonly problems: ConfigProblem[];

  constructor(variable: string, detail: string, ...more: ConfigProblem[]) {
    const problems = [{ variable, detail }, ...more];
    super(
      problems.length === 1
        ? `Invalid configuration: ${variable} ${detail}`
        : `Invalid configuration: ${problems.length} variables are wrong\n${problems.map((p) => `  ${p.variable} ${p.detail}`).join("\n")}`,
    );
    this.problems = problems;
  }

  /** The first bad variable. */
  get variable(): string {
    return this.problems[0]!.variable;
  }
}

function configError([first, ...more]: ConfigProblem[]): ConfigError {
  return new ConfigError(first?.variable ?? "environment", first?.detail ?? "is invalid", ...more);
}

/** One problem per variable (zod may find several in one value: the first says enough). */
function problemsOf(issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  const byVariable = new Map<string, string>();
  for (const issue of issues) {
    const variable = String(issue.path[0] ?? "environment");
    if (!byVariable.has(variable)) byVariable.set(variable, issue.message);
  }
  return [...byVariable].map(([variable, detail]) => ({ variable, detail }));
}

export function parseDatabaseUrl(url: string | undefined, dataDir: string): DatabaseTarget {
  if (!url) return { dialect: "sqlite", file: `${dataDir.replace(/\/$/, "")}/crmsync.db` };
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return { dialect: "postgres", url };
  return { dialect: "sqlite", file: url.replace(/^sqlite:(\/\/)?/, "") };
}

export function loadConfig(given: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable counts as unset: `FOO=` in a shell, `FOO: ${FOO:-}` in a compose file.
  const env = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== ""));
  const parsed = envSchema.safeParse(env);
  const problems = parsed.success ? [] : problemsOf(parsed.error.issues);
  const bad = new Set(problems.map((p) => p.variable));
  // Half a mail setup is a mistake to report at start, not a silent "no emails".
  if (env["SMTP_URL"] && !env["SMTP_FROM"] && !bad.has("SMTP_URL")) problems.push({ variable: "SMTP_FROM", detail: "is required when SMTP_URL is set" });
  if (env["SMTP_FROM"] && !env["SMTP_URL"] && !bad.has("SMTP_FROM")) problems.push({ variable: "SMTP_URL", detail: "is required when SMTP_FROM is set" });
  if (!parsed.success || problems.length > 0) throw configError(problems);
  const e = parsed.data;
  const baseUrl = e.HUBSPOT_BASE_URL ?? "https://api.hubapi.com";
  return {
    database: parseDatabaseUrl(e.DATABASE_URL, e.DATA_DIR),
    databaseUrlGiven: e.DATABASE_URL !== undefined,
    dataDir: e.DATA_DIR,
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL,
    secret: e.CRMSYNC_SECRET,
    hubspot: {
      clientId: e.HUBSPOT_CLIENT_ID,
      clientSecret: e.HUBSPOT_CLIENT_SECRET,
      baseUrl,
      authorizeUrl: e.HUBSPOT_AUTHORIZE_URL ?? "https://app.hubspot.com/oauth/authorize",
      privateAppLimit: e.HUBSPOT_PRIVATE_APP_LIMIT,
      reservedShare: e.HUBSPOT_RESERVED_SHARE,
    },
    salesforce: {
      clientId: e.SALESFORCE_CLIENT_ID,
      clientSecret: e.SALESFORCE_CLIENT_SECRET,
      loginUrls: { production: e.SALESFORCE_LOGIN_URL.replace(/\/+$/, ""), sandbox: e.SALESFORCE_SANDBOX_LOGIN_URL.replace(/\/+$/, "") },
      runShare: e.SALESFORCE_RUN_SHARE,
      usageCeiling: e.SALESFORCE_USAGE_CEILING,
    },
    logLevel: e.LOG_LEVEL,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    logFormat: e.LOG_FORMAT,
    smtp: e.SMTP_URL && e.SMTP_FROM ? { url: e.SMTP_URL, from: e.SMTP_FROM } : null,
  };
}
