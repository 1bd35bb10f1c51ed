import { describe, expect, it } from "vitest";
import { assertTransition, canTransition, InvalidRunTransition, outcomeStatus } from "./run-state.ts";

describe("run state machine", () => {
  it.each([
    ["queued", "running"],
    ["queued", "cancelled"],
    ["running", "succeeded"],
    ["running", "partial"],
    ["running", "failed"],
    ["running", "queued"],
  ] as const)("allows %s -> %s", (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it.each([
    ["queued", "succeeded"],
    ["succeeded", "running"],
    ["failed", "running"],
    ["partial", "queued"],
    ["cancelled", "running"],
    ["running", "running"],
  ] as const)("refuses %s -> %s", (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    expect(() => assertTransition(from, to)).toThrow(InvalidRunTransition);
  });

  it("ends partial when errors were recorded, failed when the run failed", () => {
    expect(outcomeStatus(0, false)).toBe("succeeded");
    expect(outcomeStatus(3, false)).toBe("partial");
    expect(outcomeStatus(0, true)).toBe("failed");
  });
});
