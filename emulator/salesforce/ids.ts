/**
 * Salesforce record ids: a 3-character key prefix, a 12-character body and the 3-character
 * case-safe suffix that turns the 15-character id into the 18-character one.
 */
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/** Salesforce's checksum: for each 5-character chunk, a bit per upper-case letter. */
export function caseSafeSuffix(id15: string): string {
  let out = "";
  for (let chunk = 0; chunk < 3; chunk++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(chunk * 5 + i);
      if (c >= "A" && c <= "Z") flags |= 1 << i;
    }
    out += SUFFIX.charAt(flags);
  }
  return out;
}

/** Base62 with digits before letters, so that ids of one prefix sort by creation. */
function base62(n: number, width: number): string {
  let s = "";
  let v = n;
  while (v > 0) {
    s = BASE62.charAt(v % 62) + s;
    v = Math.floor(v / 62);
  }
  return s.padStart(width, "0");
}

/** The pod and instance part ("5g00000") is fixed; the counter fills the rest. */
export function makeId(prefix: string, counter: number): string {
  const id15 = `${prefix}5g0000${base62(counter, 6)}`;
  return id15 + caseSafeSuffix(id15);
}

/** Accepts a 15- or 18-character id; answers the 18-character form, or undefined if malformed. */
export function normaliseId(raw: string): string | undefined {
  if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(raw)) return undefined;
  const id15 = raw.slice(0, 15);
  return id15 + caseSafeSuffix(id15);
}

export const KEY_PREFIXES = {
  Account: "001",
  Contact: "003",
  Opportunity: "006",
  ContactHistory: "017",
  User: "005",
  Organization: "00D",
  ListView: "00B",
  QueryLocator: "01g",
} as const;
