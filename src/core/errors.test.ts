import { describe, expect, it } from "vitest";
import { fieldReadOnly, syncErrorCodes, syncErrorInfo } from "./errors.ts";

// The engine names no CRM: what a person reads names the run's CRM by the display name its
// connector gives, and says "the CRM" where no CRM is at hand.
describe("error words name the CRM they are given", () => {
  it("names the given CRM in the messages and hints that speak of it", () => {
    expect(syncErrorInfo("crm_auth_revoked", "Salesforce")).toEqual({
      message: "crmsync's credentials are no longer accepted by Salesforce.",
      hint: "Reconnect Salesforce from Integrations; syncing resumes with the same settings.",
      disposition: "fail",
    });
    expect(syncErrorInfo("company_match_ambiguous", "HubSpot").message).toBe("Several companies in HubSpot share this customer's domain, so none was linked.");
  });

  it("never names HubSpot unless told to", () => {
    for (const code of syncErrorCodes) {
      const { message, hint } = syncErrorInfo(code, "Salesforce");
      expect(`${message} ${hint}`).not.toContain("HubSpot");
      expect(`${message} ${hint}`).not.toContain("portal");
    }
    expect(syncErrorInfo("crm_rate_limited").message).toBe("The API limit of the CRM was reached.");
    expect(fieldReadOnly("arr").message).toBe('The field "arr" is synced from the CRM and cannot be edited here.');
    expect(fieldReadOnly("arr", "Salesforce").message).toBe('The field "arr" is synced from Salesforce and cannot be edited here.');
  });
});
