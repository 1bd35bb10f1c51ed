import { describe, expect, it } from "vitest";
import { ListStore } from "../lists.ts";

describe("list store", () => {
  it("takes a list of 300,000 members at once (the large benchmark's list)", () => {
    const lists = new ListStore();
    const ids = Array.from({ length: 300_000 }, (_, i) => 300_000 - i);
    const list = lists.create({ name: "everyone", objectTypeId: "0-1", members: ids }, 1);
    expect(list.members).toHaveLength(300_000);
    expect(list.members[0]).toBe(1);
    expect(lists.addMembers(list, [...ids, 300_001], 2)).toEqual([300_001]);
  });
});
