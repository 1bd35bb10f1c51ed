import { describe, expect, it } from "vitest";
import { toCrmContact } from "./contact-source.ts";
import { associatedCompanyIds, companyBaseProperties, companyDomains, toCrmCompany, toCrmDeal, withBase } from "./mappers.ts";

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
    properties: { name: "Globex", domain: "globex.com", createdate: "2024-01-02T00:00:00Z", hs_lastmodifieddate: "2024-03-04T00:00:00Z", industry: null },
    createdAt: "2024-01-02T00:00:00Z",
    updatedAt: "2024-03-04T00:00:00Z",
  };

  it("maps a company with its times and raw properties", () => {
    expect(toCrmCompany(record)).toEqual({
      id: "42",
      name: "Globex",
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

  it("reads a contact's own email, other emails, phone and lifecycle stage from HubSpot's properties", () => {
    const contact = toCrmContact({
      id: "5",
      createdAt: "2024-01-02T00:00:00Z",
      updatedAt: "2024-03-04T00:00:00Z",
      properties: { email: "ann@acme.com", hs_additional_emails: "old@acme.com;ann2@acme.com", phone: "+1 212 555 0100", lifecyclestage: "customer", hs_merged_object_ids: "3;4", lastmodifieddate: "2024-03-04T00:00:00Z" },
    });
    expect(contact).toMatchObject({ email: "ann@acme.com", additionalEmails: ["old@acme.com", "ann2@acme.com"], phone: "+1 212 555 0100", lifecycleStage: "customer", mergedIds: ["3", "4"], modifiedAt: "2024-03-04T00:00:00Z" });
  });

  it("asks HubSpot for its own properties first, then the imported ones not among them", () => {
    expect(withBase(companyBaseProperties, ["industry", "name"])).toEqual(["domain", "hs_additional_domains", "createdate", "hs_lastmodifieddate", "name", "industry"]);
  });
});
