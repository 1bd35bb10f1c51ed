// SMTP settings from the environment to a mailer. Delivery itself is covered against a real
// SMTP server in run-notifications.int.test.ts.
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../config.ts";
import { createMailer } from "./mailer.ts";

describe("SMTP configuration", () => {
  it("is off unless configured, and then there is no mailer", () => {
    expect(loadConfig({}).smtp).toBeNull();
    expect(createMailer(loadConfig({}).smtp)).toBeNull();
  });

  it("reads SMTP_URL and SMTP_FROM together", () => {
    const env = { SMTP_URL: "smtp://user:p%40ss@mail.example.com:587", SMTP_FROM: "crmsync <crmsync@example.com>" };
    expect(loadConfig(env).smtp).toEqual({ url: env.SMTP_URL, from: env.SMTP_FROM });
    expect(loadConfig({ SMTP_URL: "smtps://mail.example.com", SMTP_FROM: "crmsync@example.com" }).smtp).toEqual({
      url: "smtps://mail.example.com",
      from: "crmsync@example.com",
    });
    const mailer = createMailer(loadConfig(env).smtp);
    expect(mailer).not.toBeNull();
    mailer?.close();
  });

  it("refuses half a setup at start rather than silently sending nothing", () => {
    expect(() => loadConfig({ SMTP_URL: "smtp://mail.example.com" })).toThrow(new ConfigError("SMTP_FROM", "is required when SMTP_URL is set"));
    expect(() => loadConfig({ SMTP_FROM: "crmsync@example.com" })).toThrow(new ConfigError("SMTP_URL", "is required when SMTP_FROM is set"));
  });

  it.each([
    ["SMTP_URL", "http://mail.example.com"],
    ["SMTP_URL", "mail.example.com:587"],
    ["SMTP_URL", "smtp://"],
    ["SMTP_FROM", "crmsync"],
    ["SMTP_FROM", "crmsync <not an address>"],
  ])("rejects %s=%s", (variable, value) => {
    const env = { SMTP_URL: "smtp://mail.example.com", SMTP_FROM: "crmsync@example.com", [variable]: value };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as ConfigError).variable).toBe(variable);
    }
  });
});
