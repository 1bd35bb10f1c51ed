import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

describe("loadConfig", () => {
  it("defaults to SQLite in ./data and port 3000", () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ dialect: "sqlite", file: "./data/crmsync.db" });
    expect(config.port).toBe(3000);
    expect(config.hubspot.baseUrl).toBe("https://api.hubapi.com");
  });

  it("selects PostgreSQL from a postgres:// URL", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://u@h:5432/db" }).database).toEqual({ dialect: "postgres", url: "postgres://u@h:5432/db" });
    expect(loadConfig({ DATABASE_URL: "sqlite:/tmp/x.db" }).database).toEqual({ dialect: "sqlite", file: "/tmp/x.db" });
  });

  it.each([
    [{ PORT: "seventy" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ CRMSYNC_SECRET: "short" }, "CRMSYNC_SECRET"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ HUBSPOT_BASE_URL: "not a url" }, "HUBSPOT_BASE_URL"],
  ])("fails fast naming the variable for %j", (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });

  it("reports every bad variable at once, each with what is wrong", () => {
    let caught: unknown;
    try {
      loadConfig({ PORT: "seventy", LOG_LEVEL: "loud", CRMSYNC_SECRET: "short", SMTP_URL: "smtp://mail.example.com" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.problems.map((p) => p.variable)).toEqual(["PORT", "CRMSYNC_SECRET", "LOG_LEVEL", "SMTP_FROM"]);
    const lines = error.message.split("\n");
    expect(lines[0]).toBe("Invalid configuration: 4 variables are wrong");
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^ {2}PORT /),
      "  CRMSYNC_SECRET must be 64 hex characters (a 256-bit key)",
      expect.stringMatching(/^ {2}LOG_LEVEL /),
      "  SMTP_FROM is required when SMTP_URL is set",
    ]);
  });

  it("reads the log format, auto by default", () => {
    expect(loadConfig({}).logFormat).toBe("auto");
    expect(loadConfig({ LOG_FORMAT: "json" }).logFormat).toBe("json");
    expect(() => loadConfig({ LOG_FORMAT: "xml" })).toThrow(/^Invalid configuration: LOG_FORMAT /);
  });

  it("takes an empty variable as unset", () => {
    const config = loadConfig({ HUBSPOT_CLIENT_ID: "", SMTP_URL: "", PORT: "" });
    expect(config.hubspot.clientId).toBeUndefined();
    expect(config.smtp).toBeNull();
    expect(config.port).toBe(3000);
  });
});
