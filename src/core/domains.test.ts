import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { domainMatchKeys, normalizeDomain, normalizeDomains, toAsciiHostname, tryNormalizeDomain } from "./domains.ts";
import { AppError } from "./errors.ts";

describe("normalizeDomain", () => {
  it.each([
    ["acme.com", "acme.com"],
    ["  ACME.Com  ", "acme.com"],
    ["https://acme.com", "acme.com"],
    ["http://acme.com/pricing?x=1#top", "acme.com"],
    ["HTTPS://WWW.ACME.COM:443/", "acme.com"],
    ["ftp://files.acme.com", "files.acme.com"],
    ["//acme.com/path", "acme.com"],
    ["acme.com/path", "acme.com"],
    ["acme.com?q=1", "acme.com"],
    ["acme.com#frag", "acme.com"],
    ["acme.com:8080", "acme.com"],
    ["https://user:pass@acme.com:8443/x", "acme.com"],
    ["bob@acme.com", "acme.com"],
    ["www.acme.com", "acme.com"],
    ["www.www.acme.com", "acme.com"],
    ["acme.com.", "acme.com"],
    ["www.acme.com.:80/", "acme.com"],
    ["sub.acme.co.uk", "sub.acme.co.uk"],
    ["acme.co.uk", "acme.co.uk"],
    ["wwwacme.com", "wwwacme.com"],
    ["www2.acme.com", "www2.acme.com"],
    ["sub.www.acme.com", "sub.www.acme.com"],
    // "www.com" is a registrable domain of its own, not "com" with a prefix.
    ["www.com", "www.com"],
    ["www.www.com", "www.com"],
    ["müller.de", "xn--mller-kva.de"],
    ["https://www.Müller.de/impressum", "xn--mller-kva.de"],
    ["xn--mller-kva.de", "xn--mller-kva.de"],
    ["例え.jp", "xn--r8jz45g.jp"],
    ["acme．com", "acme.com"], // full-width dot, mapped by IDNA
    ["acme.myshopify.com", "acme.myshopify.com"],
    ["my-company.io", "my-company.io"],
    ["123.com", "123.com"],
  ])("%j → %j", (input, expected) => {
    expect(normalizeDomain(input)).toBe(expected);
  });

  it.each([
    [""],
    ["   "],
    ["com"],
    ["co.uk"],
    ["localhost"],
    ["acme"],
    ["acme.unknowntld"],
    ["acme.local"],
    ["foo.test"],
    ["127.0.0.1"],
    ["http://192.168.1.1/admin"],
    ["[::1]"],
    ["http://[2001:db8::1]:8080/"],
    ["a_b.com"],
    ["-acme.com"],
    ["acme-.com"],
    ["acme..com"],
    [".acme.com"],
    ["ac me.com"],
    ["ac\tme.com"],
    [`${"a".repeat(64)}.com`],
    [`${"abcdefghi.".repeat(26)}com`], // 263 characters
    ["https://"],
    ["@acme.com@"],
    ["xn--.com"],
  ])("rejects %j", (input) => {
    expect(() => normalizeDomain(input)).toThrowError(AppError);
    expect(tryNormalizeDomain(input)).toBeNull();
  });

  it("accepts a 63-character label and a 253-character name", () => {
    const label = "a".repeat(63);
    expect(normalizeDomain(`${label}.com`)).toBe(`${label}.com`);
    const longest = `${"abcdefghi.".repeat(25)}com`;
    expect(longest).toHaveLength(253);
    expect(normalizeDomain(longest)).toBe(longest);
  });

  it("throws domain_invalid naming the value", () => {
    try {
      normalizeDomain("not a domain");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      const appError = error as AppError;
      expect(appError.code).toBe("domain_invalid");
      expect(appError.message).toBe('"not a domain" is not a valid domain.');
      expect(appError.details).toEqual({ value: "not a domain" });
    }
  });

  const hostname = fc
    .tuple(
      fc.array(fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/), { minLength: 1, maxLength: 3 }),
      fc.constantFrom("com", "org", "co.uk", "de", "io", "com.au"),
    )
    .map(([labels, suffix]) => `${labels.join(".")}.${suffix}`);
  const decoration = fc.tuple(
    fc.constantFrom("", "http://", "https://", "HTTPS://", "//"),
    fc.constantFrom("", "www.", "WWW."),
    fc.constantFrom("", ":8080", "."),
    fc.constantFrom("", "/", "/a/b?c=d", "#x"),
  );

  it("is idempotent", () => {
    fc.assert(
      fc.property(fc.string(), (input) => {
        const once = tryNormalizeDomain(input);
        if (once !== null) expect(normalizeDomain(once)).toBe(once);
      }),
    );
    fc.assert(
      fc.property(hostname, decoration, (host, [scheme, www, port, path]) => {
        const once = normalizeDomain(`${scheme}${www}${host}${port}${path}`);
        expect(normalizeDomain(once)).toBe(once);
      }),
    );
  });

  it("ignores scheme, www, port, path and case around a hostname", () => {
    fc.assert(
      fc.property(hostname, decoration, (host, [scheme, www, port, path]) => {
        const expected = normalizeDomain(host);
        expect(normalizeDomain(`  ${scheme}${www}${host.toUpperCase()}${port}${path}  `)).toBe(expected);
      }),
    );
  });

  it("returns lower-case ASCII without www. or a trailing dot", () => {
    fc.assert(
      fc.property(fc.string(), (input) => {
        const domain = tryNormalizeDomain(input);
        if (domain === null) return;
        expect(domain).toMatch(/^[a-z0-9.-]+$/);
        expect(domain.startsWith("www.") && domain !== "www.com").toBe(false);
        expect(domain.endsWith(".")).toBe(false);
      }),
    );
  });
});

describe("normalizeDomains", () => {
  it("normalises, removes repeats and keeps the first-seen order", () => {
    expect(normalizeDomains(["B.com", "https://a.com", "www.b.com", "a.com/x", "c.org"])).toEqual([
      "b.com",
      "a.com",
      "c.org",
    ]);
  });

  it("returns an empty list for none", () => {
    expect(normalizeDomains([])).toEqual([]);
  });

  it("throws on the first invalid domain", () => {
    expect(() => normalizeDomains(["a.com", "nope", "also bad"])).toThrowError('"nope" is not a valid domain.');
  });
});

describe("domainMatchKeys", () => {
  it("matches on the exact normalised host only", () => {
    expect(domainMatchKeys("acme.com")).toEqual(["acme.com"]);
    expect(domainMatchKeys("sub.acme.com")).toEqual(["sub.acme.com"]);
    expect(domainMatchKeys("sub.acme.com")).not.toContain("acme.com");
  });
});

describe("toAsciiHostname", () => {
  it.each([
    ["acme.com", "acme.com"],
    ["ACME.Com", "acme.com"],
    ["localhost", "localhost"], // any hostname: the public-suffix rule belongs to domains only
    ["müller.de", "xn--mller-kva.de"],
    ["a-b.c-d", "a-b.c-d"],
  ])("%j → %j", (input, expected) => {
    expect(toAsciiHostname(input)).toBe(expected);
  });

  it.each([[""], ["a_b.com"], ["ac\tme.com"], ["ac\nme.com"], ["a b.com"], ["-a.com"], ["a..com"], [`${"a".repeat(64)}.com`], [`${"a.".repeat(127)}a`]])(
    "refuses %j",
    (input) => {
      expect(toAsciiHostname(input)).toBeNull();
    },
  );
});
