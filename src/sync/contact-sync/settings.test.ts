import { describe, expect, it } from "vitest";
import { defaultSettings, mappedFields, parseSettings, runnable } from "./settings.ts";

// A connector's default mapping, as CrmProvider.defaultContactMapping gives it.
const defaults = { firstName: "given", lastName: "family", email: "mail", phone: "tel" };
const initial = defaultSettings(defaults);

describe("contact-sync settings", () => {
  it("reads missing or damaged settings as the safe defaults (off)", () => {
    expect(parseSettings(undefined, defaults)).toEqual(initial);
    expect(parseSettings({ mode: "sideways", lifecycleStages: "customer", mapping: { email: 3 } }, defaults)).toEqual(initial);
    expect(parseSettings({ mode: "inbound", mapping: { phone: null } }, defaults).mapping).toEqual({ firstName: "given", lastName: "family", email: "mail", phone: null });
  });

  it("maps only the fields given a property", () => {
    expect(mappedFields({ firstName: "given", lastName: null, email: "work_email", phone: null })).toEqual({ firstName: "given", email: "work_email" });
  });

  it("lets runs go only in their mode, unpaused, confirmed for two-way, and not on a deleted list", () => {
    const inbound = { ...initial, mode: "inbound" as const };
    expect(runnable(inbound, "contacts")).toBe(true);
    expect(runnable(inbound, "reconcile")).toBe(false);
    expect(runnable({ ...inbound, paused: true }, "contacts")).toBe(false);
    const twoWay = { ...initial, mode: "two_way" as const };
    expect(runnable(twoWay, "reconcile")).toBe(false);
    expect(runnable(twoWay, "push")).toBe(false);
    expect(runnable({ ...twoWay, confirmedAt: "2026-01-01T00:00:00.000Z" }, "push")).toBe(true);
    const broken = { ...inbound, source: { kind: "list" as const, listId: "7" }, sourceError: { code: "crm_list_not_found" as const, listId: "7", at: "x" } };
    expect(runnable(broken, "contacts")).toBe(false);
    expect(runnable({ ...broken, source: { kind: "list" as const, listId: "8" } }, "contacts")).toBe(true);
  });
});
