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
});
