import { describe, expect, it } from "vitest";
import { noPersonalDomainRules, personalDomainCheck } from "./personal-domains.ts";

describe("personal domains", () => {
  const isPersonal = personalDomainCheck(noPersonalDomainRules);

  it("knows the free-mail providers people sign up with", () => {
    for (const domain of ["gmail.com", "googlemail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "proton.me", "gmx.de", "web.de", "qq.com"]) {
      expect(isPersonal(domain), domain).toBe(true);
    }
  });

  it("leaves company domains alone, including ones that merely contain a provider's name", () => {
    for (const domain of ["acme.com", "hubspot.com", "gmail-tools.io", "notgmail.com"]) expect(isPersonal(domain), domain).toBe(false);
  });

  it("treats a subdomain of a provider as personal", () => {
    expect(isPersonal("mail.gmail.com")).toBe(true);
  });

  it("lets a workspace deny more domains and allow listed ones back", () => {
    const check = personalDomainCheck({ allow: ["gmx.de"], deny: ["family-smith.net"] });
    expect(check("gmx.de")).toBe(false);
    expect(check("family-smith.net")).toBe(true);
    expect(check("www.family-smith.net")).toBe(true);
    expect(check("gmail.com")).toBe(true);
  });
});
