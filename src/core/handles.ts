// Emails and phones are the handles contact sync matches on (product spec §4.3), so each must
// have exactly one stored spelling per mailbox or line.
import { parsePhoneNumberFromString } from "libphonenumber-js";
import type { CountryCode } from "libphonenumber-js";
import { toAsciiHostname } from "./domains.ts";
import { AppError } from "./errors.ts";

// The dot-atom form of RFC 5322 without quoted local parts, comments or IP literals: what
// real mailboxes use and what HubSpot accepts, so nothing we store is refused when pushed.
const atext = "[a-z0-9!#$%&'*+/=?^_`{|}~-]+";
const localPart = new RegExp(`^${atext}(?:\\.${atext})*$`);
const topLevelLabel = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const maxLocalLength = 64;
const maxEmailLength = 254;

function emailDomain(domain: string): string | null {
  // In punycode, like customer domains, so one mailbox has one spelling.
  const ascii = toAsciiHostname(domain);
  const labels = ascii?.split(".") ?? [];
  return labels.length >= 2 && topLevelLabel.test(labels[labels.length - 1] ?? "") ? ascii : null;
}

/** The stored form of an email, or null when it is not a valid address. */
export function tryNormalizeEmail(input: string): string | null {
  const email = input.trim().toLowerCase();
  const at = email.lastIndexOf("@");
  if (at <= 0) return null;
  const local = email.slice(0, at);
  const domain = emailDomain(email.slice(at + 1));
  if (domain === null || local.length > maxLocalLength || !localPart.test(local)) return null;
  const normalized = `${local}@${domain}`;
  return normalized.length <= maxEmailLength ? normalized : null;
}

/** Trimmed, lower-cased, validated email; the domain part in punycode. */
export function normalizeEmail(input: string): string {
  const email = tryNormalizeEmail(input);
  if (email === null) {
    throw new AppError("email_invalid", `"${input}" is not a valid email address.`, { value: input });
  }
  return email;
}

export function isValidEmail(input: string): boolean {
  return tryNormalizeEmail(input) !== null;
}

type PhoneResult = { ok: true; e164: string } | { ok: false; reason: string };

function invalidPhone(input: string, defaultCountry: CountryCode | undefined): PhoneResult {
  const hint = defaultCountry === undefined ? " Use the international format, starting with +." : "";
  return { ok: false, reason: `"${input}" is not a valid phone number.${hint}` };
}

function parsePhone(input: string, defaultCountry: CountryCode | undefined): PhoneResult {
  // Without a default country only a number with a "+" (written, or in an RFC 3966 phone-context)
  // can have a country; libphonenumber-js refuses the others by throwing and catching a
  // ParseError, which made them the dearest phones of an import to refuse.
  if (defaultCountry === undefined && !input.includes("+")) return invalidPhone(input, defaultCountry);
  const phone = parsePhoneNumberFromString(input.trim(), defaultCountry);
  if (phone === undefined || !phone.isValid()) return invalidPhone(input, defaultCountry);
  // E.164 cannot hold an extension, and a switchboard number shared by a whole office must
  // not become one person's handle: refuse rather than silently drop the extension.
  if (phone.ext !== undefined) {
    return { ok: false, reason: `"${input}" has an extension, which a phone handle cannot store.` };
  }
  return { ok: true, e164: phone.number };
}

/** The number in E.164 (`+12125550100`). Without a default country the input must start with +. */
export function normalizePhone(input: string, defaultCountry?: CountryCode): string {
  const result = parsePhone(input, defaultCountry);
  if (!result.ok) throw new AppError("phone_invalid", result.reason, { value: input });
  return result.e164;
}

export function tryNormalizePhone(input: string, defaultCountry?: CountryCode): string | null {
  const result = parsePhone(input, defaultCountry);
  return result.ok ? result.e164 : null;
}
