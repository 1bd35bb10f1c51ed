import { describe, expect, it } from "vitest";
import { hashPassword } from "../core/security.ts";
import { standInHash } from "./login-throttle.ts";

describe("the stand-in hash for unknown emails", () => {
  it("has the parameters of a new password hash, so checking it costs the same", async () => {
    const params = (hash: string) => hash.split("$").slice(0, 4).join("$");
    expect(params(standInHash)).toBe(params(await hashPassword("any password")));
  });
});
