import { describe, expect, it } from "vitest";
import { syncErrorInfo } from "../core/errors.ts";
import type { Recipient } from "../db/repositories/notifications.ts";
import { buildRunMessage, chooseRecipients, shouldNotify, type FinishedRun } from "./run-notifications.ts";

const run = (patch: Partial<FinishedRun> = {}): FinishedRun => ({
  id: "run-1",
  workspace_id: "ws-1",
  provider: "hubspot",
  kind: "contacts",
  status: "partial",
  triggered_by: null,
  ...patch,
});

const users: Recipient[] = [
  { id: "u-admin-1", email: "a1@x.test", name: "A1", role: "admin" },
  { id: "u-member", email: "m@x.test", name: "M", role: "member" },
  { id: "u-admin-2", email: "a2@x.test", name: "A2", role: "admin" },
];

describe("shouldNotify", () => {
  it("notifies only finished runs that recorded errors", () => {
    expect(shouldNotify({ status: "partial" }, 1)).toBe(true);
    expect(shouldNotify({ status: "failed" }, 3)).toBe(true);
    expect(shouldNotify({ status: "partial" }, 0)).toBe(false);
    expect(shouldNotify({ status: "failed" }, 0)).toBe(false);
    for (const status of ["queued", "running", "succeeded", "cancelled"] as const) expect(shouldNotify({ status }, 5)).toBe(false);
  });
});

describe("chooseRecipients", () => {
  it("tells the user who started the run, and only them", () => {
    expect(chooseRecipients(run({ triggered_by: "u-member" }), users).map((u) => u.id)).toEqual(["u-member"]);
    expect(chooseRecipients(run({ triggered_by: "u-admin-2" }), users).map((u) => u.id)).toEqual(["u-admin-2"]);
  });

  it("tells every admin when nobody started the run (scheduled)", () => {
    expect(chooseRecipients(run({ triggered_by: null }), users).map((u) => u.id)).toEqual(["u-admin-1", "u-admin-2"]);
  });

  it("falls back to the admins when the starter is no longer in the workspace", () => {
    expect(chooseRecipients(run({ triggered_by: "gone" }), users).map((u) => u.id)).toEqual(["u-admin-1", "u-admin-2"]);
  });

  it("tells nobody in a workspace without users", () => {
    expect(chooseRecipients(run(), [])).toEqual([]);
  });
});

describe("buildRunMessage", () => {
  const counts = [
    { code: "email_taken", count: 7 },
    { code: "invalid_email", count: 3 },
    { code: "phone_taken", count: 1 },
    { code: "value_not_convertible", count: 1 },
  ];

  it("titles with the provider, the kind, the outcome and the total", () => {
    expect(buildRunMessage(run(), counts, "https://crm.example.com", "HubSpot").title).toBe("HubSpot contact sync finished with 12 errors");
    expect(buildRunMessage(run({ kind: "accounts", status: "failed" }), [{ code: "crm_auth_revoked", count: 1 }], "x", "HubSpot").title).toBe(
      "HubSpot account sync failed with 1 error",
    );
  });

  it("names the top three codes in the in-app body and sums up the rest", () => {
    const m = buildRunMessage(run(), counts, "https://crm.example.com", "HubSpot");
    expect(m.body).toBe("email_taken × 7, invalid_email × 3, phone_taken × 1, and 1 other.");
    expect(m.errorCount).toBe(12);
    expect(m.link).toBe("/sync-activity/run-1");
    expect(buildRunMessage(run(), counts.slice(0, 2), "x", "HubSpot").body).toBe("email_taken × 7, invalid_email × 3.");
  });

  it("emails every code with its count, message and hint, and an absolute link", () => {
    const m = buildRunMessage(run(), counts, "https://crm.example.com/", "HubSpot");
    expect(m.email.subject).toBe(m.title);
    for (const c of counts) {
      const info = syncErrorInfo(c.code as "email_taken", "HubSpot");
      expect(m.email.text).toContain(`${c.count} × ${c.code}: ${info.message}`);
      expect(m.email.text).toContain(info.hint);
    }
    expect(m.email.text).toContain("https://crm.example.com/sync-activity/run-1");
    expect(m.email.html).toContain('<a href="https://crm.example.com/sync-activity/run-1">');
    expect(m.email.html).toContain("<strong>7</strong>");
    expect(m.email.html).toContain("<code>email_taken</code>");
  });

  it("keeps codes outside the catalog, without a hint, and escapes them in HTML", () => {
    const m = buildRunMessage(run(), [{ code: "<b>odd</b>", count: 2 }], "http://h", "HubSpot");
    expect(m.email.text).toContain("2 × <b>odd</b>");
    expect(m.email.text).not.toContain("What to do");
    expect(m.email.html).toContain("&#60;b&#62;odd&#60;/b&#62;");
    expect(m.email.html).not.toContain("<b>odd</b>");
  });

  it("formats large counts with separators", () => {
    expect(buildRunMessage(run(), [{ code: "email_taken", count: 12345 }], "x", "HubSpot").title).toBe("HubSpot contact sync finished with 12,345 errors");
  });
});
