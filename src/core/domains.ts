// Customer domains and HubSpot company domains meet in one index, so both sides must reduce
// every spelling of a site ("https://WWW.Acme.com:443/pricing", "acme.com.") to one key.
import { domainToASCII } from "node:url";
import { parse } from "tldts";
import { AppError } from "./errors.ts";

// tldts tolerates underscores and other characters browsers accept in hostnames; a customer
// domain is a registrable name, so hold it to the LDH rule (letters, digits, inner hyphens).
const ldhLabel = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const schemePrefix = /^[a-z][a-z0-9+.-]*:\/\//;
const maxHostnameLength = 253;

function invalid(input: string): AppError {
  return new AppError("domain_invalid", `"${input}" is not a valid domain.`, { value: input });
}

/** The host part of whatever was pasted: a bare domain, a URL, an email-like "user@host". */
function extractHost(input: string): string {
  let rest = input.trim().toLowerCase();
  rest = rest.startsWith("//") ? rest.slice(2) : rest.replace(schemePrefix, "");
  const end = rest.search(/[/?#]/);
  if (end !== -1) rest = rest.slice(0, end);
  const at = rest.lastIndexOf("@");
  if (at !== -1) rest = rest.slice(at + 1);
  // A bracketed IPv6 literal keeps its colons; it is rejected later as an IP.
  if (!rest.startsWith("[")) rest = rest.replace(/:\d*$/, "");
  return rest;
}

/**
 * A hostname in lower-case ASCII (IDN labels in punycode) whose labels follow the LDH rule, or
 * null. domainToASCII applies IDNA mapping (full-width dots, case folding) and yields "" for a
 * name it cannot encode; it also silently deletes tabs and newlines ("ac\tme.com" would become
 * "acme.com"), so those are refused before it sees them.
 */
export function toAsciiHostname(host: string): string | null {
  if (/[\s\p{Cc}]/u.test(host)) return null;
  const ascii = domainToASCII(host);
  if (ascii.length === 0 || ascii.length > maxHostnameLength) return null;
  return ascii.split(".").every((label) => ldhLabel.test(label)) ? ascii : null;
}

/** A registrable-or-deeper name under a public (ICANN) suffix, not an IP address. */
function isPublicName(host: string): boolean {
  const parsed = parse(host);
  return parsed.isIp === false && parsed.isIcann === true && parsed.domain !== null;
}

/** The domain as crmsync stores it, or null when it cannot be one. */
export function tryNormalizeDomain(input: string): string | null {
  let host = extractHost(input);
  if (host.endsWith(".")) host = host.slice(0, -1);
  if (host.startsWith("[")) return null;
  let domain = toAsciiHostname(host);
  if (domain === null || !isPublicName(domain)) return null;
  // "www.com" is itself a registrable domain: drop the prefix only while what remains is still
  // one, and repeatedly, so that normalising a normalised domain changes nothing.
  while (domain.startsWith("www.") && isPublicName(domain.slice(4))) domain = domain.slice(4);
  return domain;
}

/** Lower case, no scheme/path/port/query/userinfo, no leading `www.`, no trailing dot, punycode. */
export function normalizeDomain(input: string): string {
  const domain = tryNormalizeDomain(input);
  if (domain === null) throw invalid(input);
  return domain;
}

/** Normalises every domain (throwing on the first invalid one) and drops repeats, keeping order. */
export function normalizeDomains(inputs: readonly string[]): string[] {
  return [...new Set(inputs.map(normalizeDomain))];
}

/**
 * The index keys under which a normalised domain matches companies. Matching is exact on the
 * normalised host: `sub.acme.com` does not match a company at `acme.com`.
 *
 * Why exact: HubSpot itself identifies and deduplicates companies by their exact domain, so a
 * portal commonly holds `acme.com` and `eu.acme.com` as two companies (subsidiaries,
 * regions); collapsing to the registrable domain would turn those into ambiguities or, worse,
 * link a customer to the wrong one. Shared hosting suffixes (`acme.myshopify.com`) are not in
 * the ICANN list, so a registrable-domain rule would even merge unrelated shops. A wrong
 * automatic link is costly because runs never relink, while a missed one is fixed by adding
 * the exact domain on either side or by linking by hand.
 *
 * It returns a list so a looser policy can be added later without changing the index.
 */
export function domainMatchKeys(domain: string): string[] {
  return [domain];
}
