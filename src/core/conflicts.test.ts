import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideField, isEcho, mergeOnLink, resolveContact, type FieldSide } from "./conflicts.ts";

const side = (value: string | null, changedAt: number | null): FieldSide => ({ value, changedAt });

describe("decideField", () => {
  it("the most recent change wins, ties to the CRM", () => {
    expect(decideField(side("a", 10), side("b", 20))).toBe("pull");
    expect(decideField(side("a", 30), side("b", 20))).toBe("push");
    expect(decideField(side("a", 20), side("b", 20))).toBe("pull");
    expect(decideField(side("a", 1), side("a", 99))).toBe("equal");
  });

  it("an empty value never wipes a non-empty one, however recent", () => {
    expect(decideField(side(null, 99), side("b", 1))).toBe("pull");
    expect(decideField(side("a", 1), side("", 99))).toBe("push");
    expect(decideField(side(" ", 1), side(null, 2))).toBe("equal");
  });

  it("crmsync's own write is not a CRM edit (no echo)", () => {
    // crmsync pushed "a"; HubSpot stamped it at 100, ahead of crmsync's clock; the crmsync edit to "b" at 50 came after.
    const pushed = { value: "a", at: 100 };
    expect(isEcho(side("a", 100), pushed)).toBe(true);
    expect(decideField(side("b", 50), side("a", 100), pushed)).toBe("push");
    // A real CRM edit after the push is one, even back to the same value.
    expect(isEcho(side("a", 150), pushed)).toBe(false);
    expect(decideField(side("b", 50), side("a", 150), pushed)).toBe("pull");
    expect(decideField(side("b", 50), side("c", 120), pushed)).toBe("pull");
  });

  it("a crmsync side unchanged since the last sync takes the CRM's differing value, whatever the times say", () => {
    // The CRM's time is unknown (no history read) or behind crmsync's clock: still a CRM edit.
    expect(decideField(side("a", 50), side("b", null), null, true)).toBe("pull");
    expect(decideField(side("a", 50), side("b", 10), null, true)).toBe("pull");
    // An empty CRM value still never wipes, and crmsync's own write is still no edit.
    expect(decideField(side("a", 50), side(null, 99), null, true)).toBe("push");
    expect(decideField(side("b", 50), side("a", 100), { value: "a", at: 100 }, true)).toBe("push");
  });

  it("a CRM record unchanged since crmsync last took it in gives way to crmsync's differing value, whatever the times say", () => {
    // The CRM's time of the old value is ahead of crmsync's clock: still no CRM edit to weigh.
    expect(decideField(side("mine", 50), side("theirs", 99), null, false, true)).toBe("push");
    // An empty crmsync value still never wipes; a crmsync side also in step defers to the CRM.
    expect(decideField(side(null, 50), side("theirs", 10), null, false, true)).toBe("pull");
    expect(decideField(side("mine", 50), side("theirs", 10), null, true, true)).toBe("pull");
  });

  it("a value filled in by a CRM merge gives way to the CRM's, even to crmsync's own earlier write", () => {
    const filled: FieldSide = { value: "filled", changedAt: 0, filledByCrmMerge: true };
    expect(decideField(filled, side("mine-pushed", 100), { value: "mine-pushed", at: 100 })).toBe("pull");
    // It still fills a CRM gap.
    expect(decideField(filled, side(null, 100))).toBe("push");
  });

  it("property: with no echo, the final value is the most recently changed non-empty one", () => {
    const value = fc.option(fc.constantFrom("a", "b", "c"), { nil: null });
    fc.assert(
      fc.property(value, value, fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (l, r, lt, rt) => {
        fc.pre(lt !== rt);
        const decision = decideField(side(l, lt), side(r, rt));
        const final = decision === "pull" ? r : l;
        const candidates = [
          { v: l, t: lt },
          { v: r, t: rt },
        ].filter((c) => c.v !== null);
        const expected = candidates.sort((x, y) => y.t - x.t)[0]?.v ?? null;
        expect(final).toBe(expected);
      }),
    );
  });

  it("property: whatever the clocks say, edits on one side only are never undone by crmsync's own earlier push", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("a", "b"),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.option(fc.constantFrom("x", "y"), { nil: null }),
        fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null }),
        fc.option(fc.integer({ min: 1, max: 1000 }), { nil: null }),
        (pushedValue, pushedAt, localSyncedAt, localEdit, localEditAt, remoteEditAfter) => {
          const local = localEdit !== null && localEditAt !== null ? side(localEdit, localEditAt) : side(pushedValue, localSyncedAt);
          // A CRM edit happens after the push in the CRM's clock.
          const remote = remoteEditAfter !== null ? side(pushedValue === "a" ? "b" : "a", pushedAt + remoteEditAfter) : side(pushedValue, pushedAt);
          const decision = decideField(local, remote, { value: pushedValue, at: pushedAt });
          const final = decision === "pull" ? remote.value : local.value;
          if (remoteEditAfter === null) expect(final).toBe(local.value);
          if (localEdit === null || localEditAt === null) expect(final).toBe(remote.value);
        },
      ),
    );
  });
});

describe("resolveContact", () => {
  it("settles each field on its own: an edit of one field never overwrites a later edit of another", () => {
    const result = resolveContact(["firstName", "lastName", "phone"], {
      local: { firstName: side("Ann", 300), lastName: side("Lee", 100), phone: side(null, null) },
      remote: { firstName: side("Anna", 200), lastName: side("Li", 400), phone: side("+12125550100", 50) },
    });
    expect(result).toEqual({ push: { firstName: "Ann" }, pull: { lastName: { value: "Li", changedAt: 400 }, phone: { value: "+12125550100", changedAt: 50 } } });
  });
});

describe("mergeOnLink", () => {
  it("keeps the older record's values and fills its gaps from the newer", () => {
    const older = { values: { firstName: "Ann", lastName: null, phone: "+1" }, createdAt: 100 };
    const newer = { values: { firstName: "Annie", lastName: "Lee", phone: null }, createdAt: 105 };
    expect(mergeOnLink(["firstName", "lastName", "phone"], older, newer)).toEqual({ pull: { lastName: { value: "Lee", changedAt: null } }, push: { firstName: "Ann", phone: "+1" } });
    expect(mergeOnLink(["firstName", "lastName", "phone"], newer, older)).toEqual({ pull: { firstName: { value: "Ann", changedAt: null }, phone: { value: "+1", changedAt: null } }, push: { lastName: "Lee" } });
  });

  it("property: both sides end equal, and a non-empty value is never replaced by an empty one", () => {
    const value = fc.option(fc.constantFrom("a", "b"), { nil: null });
    fc.assert(
      fc.property(value, value, fc.nat(10), fc.nat(10), (l, r, lc, rc) => {
        const out = mergeOnLink(["firstName"], { values: { firstName: l }, createdAt: lc }, { values: { firstName: r }, createdAt: rc });
        const localAfter = out.pull.firstName?.value ?? l;
        const remoteAfter = out.push.firstName ?? r;
        expect(localAfter).toBe(remoteAfter);
        if (l !== null || r !== null) expect(localAfter).not.toBeNull();
        const older = rc <= lc ? r : l;
        if (older !== null) expect(localAfter).toBe(older);
      }),
    );
  });
});
