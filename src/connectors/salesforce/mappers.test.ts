import { describe, expect, it } from "vitest";
import { rawValue, toCrmCompany, toCrmDeal, websiteDomains, withBase } from "./mappers.ts";

describe("an Account's domain from its Website", () => {
  it.each([
    ["https://www.Acme.com/pricing?x=1", ["acme.com"]],
    ["http://acme.com", ["acme.com"]],
    ["www.acme.co.uk", ["acme.co.uk"]],
    ["ACME.COM", ["acme.com"]],
    ["acme.com/", ["acme.com"]],
    ["  https://shop.acme.com:8443/a#b  ", ["shop.acme.com"]],
    ["//acme.io", ["acme.io"]],
    ["https://www.www.acme.com", ["acme.com"]],
    ["https://bücher.de", ["xn--bcher-kva.de"]],
    ["", []],
    ["   ", []],
    ["n/a", []],
    ["not a website", []],
    ["http://", []],
    ["https://192.168.0.1/admin", []],
    ["localhost", []],
    [null, []],
    [42, []],
  ])("%j → %j", (website, domains) => {
    expect(websiteDomains(website)).toEqual(domains);
  });
});

describe("raw values", () => {
  it("reads Salesforce's datetimes with a ±hh:mm offset, numbers and booleans as written", () => {
    expect(rawValue("2026-03-04T10:11:12.000+0000")).toBe("2026-03-04T10:11:12.000+00:00");
    expect(rawValue("2026-03-04T10:11:12.000-0530")).toBe("2026-03-04T10:11:12.000-05:30");
    expect(rawValue("2026-03-04")).toBe("2026-03-04");
    expect(rawValue(1234.5)).toBe("1234.5");
    expect(rawValue(false)).toBe("false");
    expect(rawValue(null)).toBeNull();
    expect(rawValue({ city: "Paris" })).toBeNull();
  });
});

describe("records", () => {
  const account = { attributes: { type: "Account", url: "/services/data/v66.0/sobjects/Account/001000000000001AAA" }, Id: "001000000000001AAA", Name: "Acme", Website: "https://www.acme.com", CreatedDate: "2026-01-01T00:00:00.000+0000", SystemModstamp: "2026-02-01T00:00:00.000+0000", AnnualRevenue: 5_000_000, BillingAddress: { city: "Paris" } };

  it("makes an Account a company, its Website its domain, SystemModstamp its modification time", () => {
    expect(toCrmCompany(account)).toEqual({
      id: "001000000000001AAA",
      name: "Acme",
      domains: ["acme.com"],
      createdAt: "2026-01-01T00:00:00.000+00:00",
      modifiedAt: "2026-02-01T00:00:00.000+00:00",
      properties: { Id: "001000000000001AAA", Name: "Acme", Website: "https://www.acme.com", CreatedDate: "2026-01-01T00:00:00.000+00:00", SystemModstamp: "2026-02-01T00:00:00.000+00:00", AnnualRevenue: "5000000" },
    });
  });

  it("gives an Opportunity its Account as its one company, none without, unknown when not read", () => {
    const opportunity = { Id: "006000000000001AAA", Name: "Renewal", AccountId: "001000000000001AAA", CreatedDate: null, SystemModstamp: null };
    expect(toCrmDeal(opportunity, true).companyIds).toEqual(["001000000000001AAA"]);
    expect(toCrmDeal({ ...opportunity, AccountId: null }, true).companyIds).toEqual([]);
    expect(toCrmDeal(opportunity, false).companyIds).toBeUndefined();
  });

  it("asks for the base fields first and each other field once", () => {
    expect(withBase(["Name", "Website"], ["website", "Id", "Industry", "Industry"])).toEqual(["Name", "Website", "Industry"]);
  });
});
