import { describe, expect, it } from "vitest";
import { associatedCompanyIds, companyDomains, toCrmCompany, toCrmDeal } from "./mappers.ts";

describe("companyDomains", () => {
  it("combines the primary and additional domains, normalised and de-duplicated", () => {
    expect(companyDomains({ domain: "https://www.Acme.com/about", hs_additional_domains: "acme.io; ACME.com;;not a domain" })).toEqual(["acme.com", "acme.io"]);
  });

  it("returns nothing for a company without domains", () => {
    expect(companyDomains({ domain: null, hs_additional_domains: null })).toEqual([]);
    expect(companyDomains({})).toEqual([]);
  });
});

describe("record mapping", () => {
  const record = {
    id: "42",
    properties: { domain: "globex.com", createdate: "2024-01-02T00:00:00Z", hs_lastmodifieddate: "2024-03-04T00:00:00Z", industry: null },
    createdAt: "2024-01-02T00:00:00Z",
    updatedAt: "2024-03-04T00:00:00Z",
  };

  it("maps a company with its times and raw properties", () => {
    expect(toCrmCompany(record)).toEqual({
      id: "42",
      domains: ["globex.com"],
      createdAt: "2024-01-02T00:00:00Z",
      modifiedAt: "2024-03-04T00:00:00Z",
      properties: record.properties,
    });
  });

  it("reads company associations of a deal, and tells 'not requested' from 'none'", () => {
    expect(associatedCompanyIds({ ...record, associations: { companies: { results: [{ id: "7", type: "deal_to_company" }, { id: "7", type: "deal_to_company_unlabeled" }, { id: "9", type: "x" }] } } })).toEqual(["7", "9"]);
    expect(associatedCompanyIds({ ...record, associations: {} })).toEqual([]);
    expect(associatedCompanyIds(record)).toBeUndefined();
    expect(toCrmDeal(record, ["7"]).companyIds).toEqual(["7"]);
  });
});
