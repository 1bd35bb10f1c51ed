import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CompanyDomainIndex, decideCompanyLink, newestDealsFirst, pickDeal } from "./linking.ts";
import type { CompanyDomains } from "./linking.ts";

function indexOf(companies: CompanyDomains[]): CompanyDomainIndex {
  const index = new CompanyDomainIndex();
  for (const company of companies) index.add(company);
  return index;
}

describe("CompanyDomainIndex", () => {
  it("finds companies by primary and additional domains", () => {
    const index = indexOf([
      { id: "1", domains: ["acme.com", "acme.io"] },
      { id: "2", domains: ["globex.com"] },
      { id: "3", domains: ["acme.io"] },
    ]);
    expect(index.companiesFor("acme.com")).toEqual(["1"]);
    expect(index.companiesFor("acme.io")).toEqual(["1", "3"]);
    expect(index.companiesFor("globex.com")).toEqual(["2"]);
    expect(index.companiesFor("initech.com")).toEqual([]);
    expect(index.size).toBe(3);
  });

  it("matches exactly: no subdomain or parent-domain matches", () => {
    const index = indexOf([{ id: "1", domains: ["acme.com"] }, { id: "2", domains: ["eu.globex.com"] }]);
    expect(index.companiesFor("sub.acme.com")).toEqual([]);
    expect(index.companiesFor("globex.com")).toEqual([]);
  });

  it("replaces a company's domains when it is added again", () => {
    const index = indexOf([{ id: "1", domains: ["old.com", "both.com"] }]);
    index.add({ id: "1", domains: ["both.com", "new.com"] });
    expect(index.companiesFor("old.com")).toEqual([]);
    expect(index.companiesFor("both.com")).toEqual(["1"]);
    expect(index.companiesFor("new.com")).toEqual(["1"]);
    expect(index.size).toBe(1);
  });

  it("removes a company and ignores unknown ids", () => {
    const index = indexOf([{ id: "1", domains: ["acme.com"] }, { id: "2", domains: ["acme.com"] }]);
    index.remove("1");
    index.remove("404");
    expect(index.companiesFor("acme.com")).toEqual(["2"]);
    index.remove("2");
    expect(index.companiesFor("acme.com")).toEqual([]);
    expect(index.size).toBe(0);
  });

  it("does not hold companies without domains, and a repeated domain counts once", () => {
    const index = indexOf([{ id: "1", domains: [] }, { id: "2", domains: ["a.com", "a.com"] }]);
    expect(index.size).toBe(1);
    expect(index.companiesFor("a.com")).toEqual(["2"]);
    index.add({ id: "2", domains: [] });
    expect(index.size).toBe(0);
    expect(index.companiesFor("a.com")).toEqual([]);
  });

  it("orders ids numerically, non-numeric ids last", () => {
    const index = indexOf(["100", "9", "b", "20", "a", "99999999999999999999"].map((id) => ({ id, domains: ["x.com"] })));
    expect(index.companiesFor("x.com")).toEqual(["9", "20", "100", "99999999999999999999", "a", "b"]);
  });

  it("indexes 120,000 companies and answers lookups without scanning", () => {
    const index = new CompanyDomainIndex();
    for (let i = 0; i < 120_000; i += 1) index.add({ id: String(i + 1), domains: [`c${i}.com`, `c${i}.io`] });
    expect(index.size).toBe(120_000);
    const started = performance.now();
    for (let i = 0; i < 120_000; i += 1) index.companiesFor(`c${i}.io`);
    expect(index.companiesFor("c119999.io")).toEqual(["120000"]);
    // A scan per lookup would take minutes; one map access each takes well under a second.
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe("decideCompanyLink", () => {
  const index = indexOf([
    { id: "1", domains: ["acme.com", "acme.io"] },
    { id: "2", domains: ["globex.com"] },
    { id: "3", domains: ["shared.com"] },
    { id: "4", domains: ["shared.com", "initech.com"] },
  ]);

  it.each<[string[], ReturnType<typeof decideCompanyLink>]>([
    [[], { kind: "no_domains" }],
    [["nobody.com"], { kind: "no_match" }],
    [["nobody.com", "other.org"], { kind: "no_match" }],
    [["acme.com"], { kind: "linked", companyId: "1" }],
    [["acme.io"], { kind: "linked", companyId: "1" }],
    // Two domains of the same company are one match.
    [["acme.com", "acme.io"], { kind: "linked", companyId: "1" }],
    [["nobody.com", "globex.com"], { kind: "linked", companyId: "2" }],
    [["shared.com"], { kind: "ambiguous", companyIds: ["3", "4"] }],
    // Across domains: each domain matches one company, but they are different companies.
    [["acme.com", "globex.com"], { kind: "ambiguous", companyIds: ["1", "2"] }],
    // Company 4 matches two domains and company 3 one: still ambiguous.
    [["shared.com", "initech.com"], { kind: "ambiguous", companyIds: ["3", "4"] }],
    [["sub.acme.com"], { kind: "no_match" }],
  ])("%j", (domains, decision) => {
    expect(decideCompanyLink(domains, index)).toEqual(decision);
  });

  it("links exactly when one distinct company matches", () => {
    const domain = fc.constantFrom("a.com", "b.com", "c.com", "d.com", "e.com", "f.com");
    const companies = fc.uniqueArray(
      fc.record({ id: fc.integer({ min: 1, max: 50 }).map(String), domains: fc.array(domain, { maxLength: 3 }) }),
      { selector: (company) => company.id, maxLength: 8 },
    );
    fc.assert(
      fc.property(companies, fc.array(domain, { maxLength: 4 }), (all, customerDomains) => {
        const decision = decideCompanyLink(customerDomains, indexOf(all));
        const matching = all.filter((company) => company.domains.some((d) => customerDomains.includes(d))).map((c) => c.id);
        if (customerDomains.length === 0) expect(decision).toEqual({ kind: "no_domains" });
        else if (matching.length === 0) expect(decision).toEqual({ kind: "no_match" });
        else if (matching.length === 1) expect(decision).toEqual({ kind: "linked", companyId: matching[0] });
        else {
          expect(decision.kind).toBe("ambiguous");
          if (decision.kind === "ambiguous") {
            expect([...decision.companyIds].sort()).toEqual([...matching].sort());
            expect(decision.companyIds).toEqual([...decision.companyIds].sort((a, b) => Number(a) - Number(b)));
          }
        }
        // The order of the customer's domains never changes the decision.
        expect(decideCompanyLink([...customerDomains].reverse(), indexOf(all))).toEqual(decision);
        // Nor does the order in which companies were indexed.
        expect(decideCompanyLink(customerDomains, indexOf([...all].reverse()))).toEqual(decision);
      }),
    );
  });
});

describe("pickDeal", () => {
  it.each<[string, { id: string; createdAt: string }[], string | null]>([
    ["no deals", [], null],
    ["one deal", [{ id: "5", createdAt: "2024-01-01T00:00:00Z" }], "5"],
    [
      "most recently created wins, whatever the list order",
      [
        { id: "30", createdAt: "2023-05-01T00:00:00.000Z" },
        { id: "10", createdAt: "2024-03-01T00:00:00.000Z" },
        { id: "20", createdAt: "2024-02-01T00:00:00.000Z" },
      ],
      "10",
    ],
    [
      "epoch milliseconds and ISO strings compare as instants",
      [
        { id: "1", createdAt: String(Date.UTC(2024, 0, 2)) },
        { id: "2", createdAt: "2024-01-01T23:59:59.999Z" },
      ],
      "1",
    ],
    [
      "offsets are honoured",
      [
        { id: "1", createdAt: "2024-01-01T10:00:00+02:00" }, // 08:00Z
        { id: "2", createdAt: "2024-01-01T09:00:00Z" },
      ],
      "2",
    ],
    [
      "a tie goes to the highest numeric id",
      [
        { id: "9", createdAt: "2024-01-01T00:00:00Z" },
        { id: "100", createdAt: "2024-01-01T00:00:00Z" },
        { id: "20", createdAt: String(Date.UTC(2024, 0, 1)) },
      ],
      "100",
    ],
    [
      "unreadable dates count as oldest",
      [
        { id: "900", createdAt: "not a date" },
        { id: "1", createdAt: "2001-01-01T00:00:00Z" },
      ],
      "1",
    ],
    [
      "several unreadable dates still pick deterministically",
      [
        { id: "7", createdAt: "" },
        { id: "8", createdAt: "garbage" },
      ],
      "8",
    ],
  ])("%s", (_, deals, expected) => {
    expect(pickDeal(deals)).toBe(expected);
  });

  it("does not depend on the order of the deals", () => {
    const deal = fc.record({
      id: fc.integer({ min: 1, max: 1_000_000 }).map(String),
      createdAt: fc.integer({ min: 0, max: 20 }).map((day) => (day % 2 === 0 ? String(day * 86_400_000) : new Date(day * 86_400_000).toISOString())),
    });
    fc.assert(
      fc.property(fc.uniqueArray(deal, { selector: (d) => d.id, minLength: 1, maxLength: 10 }), (deals) => {
        const picked = pickDeal(deals);
        expect(pickDeal([...deals].reverse())).toBe(picked);
        const chosen = deals.find((d) => d.id === picked);
        if (chosen === undefined) throw new Error("picked a deal that was not offered");
        const ms = (d: { createdAt: string }) => (/^\d+$/.test(d.createdAt) ? Number(d.createdAt) : Date.parse(d.createdAt));
        for (const other of deals) {
          expect(ms(other) < ms(chosen) || (ms(other) === ms(chosen) && Number(other.id) <= Number(chosen.id))).toBe(true);
        }
      }),
    );
  });
});

describe("newestDealsFirst", () => {
  it("starts with the deal pickDeal links, whatever the ids and date formats", () => {
    const deal = fc.record({
      id: fc.oneof(fc.integer({ min: 1, max: 1_000_000 }).map(String), fc.stringMatching(/^006[A-Za-z0-9]{15}$/)),
      createdAt: fc.oneof(fc.constant(""), fc.integer({ min: 0, max: 20 }).map((day) => (day % 2 === 0 ? String(day * 86_400_000) : new Date(day * 86_400_000).toISOString()))),
    });
    fc.assert(
      fc.property(fc.uniqueArray(deal, { selector: (d) => d.id, minLength: 1, maxLength: 10 }), (deals) => {
        expect(newestDealsFirst(deals)[0]?.id).toBe(pickDeal(deals));
      }),
    );
  });

  it("puts a deal without a creation time last", () => {
    expect(newestDealsFirst([{ id: "9", createdAt: null }, { id: "2", createdAt: "2024-01-01T00:00:00Z" }]).map((d) => d.id)).toEqual(["2", "9"]);
  });
});
