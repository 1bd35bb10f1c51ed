import { describe, expect, it } from "vitest";
import { salesforceConnector } from "./connector.ts";
import { buildAuthorizeUrl, orgIdOf } from "./oauth.ts";
import { recordUrl } from "./record-url.ts";

describe("Salesforce OAuth", () => {
  it("sends the admin to the chosen login host asking for api and refresh_token", () => {
    const url = new URL(buildAuthorizeUrl({ clientId: "3MVG9-key", loginUrl: "https://test.salesforce.com/" }, { state: "st_1", redirectUri: "https://crmsync.example/api/v1/crm/salesforce/oauth/callback" }));
    expect(`${url.origin}${url.pathname}`).toBe("https://test.salesforce.com/services/oauth2/authorize");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      client_id: "3MVG9-key",
      redirect_uri: "https://crmsync.example/api/v1/crm/salesforce/oauth/callback",
      scope: "api refresh_token",
      state: "st_1",
    });
  });

  it("takes the org id from the identity URL", () => {
    expect(orgIdOf("https://login.salesforce.com/id/00Dxx0000001gPLEAY/005xx000001SwiUAAS")).toBe("00Dxx0000001gPLEAY");
    expect(orgIdOf("https://test.salesforce.com/id/00D000000000062EAA/005000000000001AAA/")).toBe("00D000000000062EAA");
    expect(() => orgIdOf("https://login.salesforce.com/services/oauth2/userinfo")).toThrow(/names no org/);
  });

  it("offers production first, then sandbox, and no pasted tokens", () => {
    expect(salesforceConnector.auth.oauth?.environments).toEqual(["production", "sandbox"]);
    expect(salesforceConnector.auth.methods).toEqual(["oauth"]);
    expect(salesforceConnector.auth.tokenKinds).toEqual([]);
  });
});

describe("Open in Salesforce", () => {
  it("opens the record through the login host, which finds the org", () => {
    expect(recordUrl("00D000000000062EAA", "company", "001000000000001AAA")).toBe("https://login.salesforce.com/?startURL=%2F001000000000001AAA");
    expect(recordUrl(null, "deal", "006000000000001AAA")).toBeNull();
    expect(recordUrl("00D000000000062EAA", "contact", "not an id")).toBeNull();
  });
});
