/**
 * REST API versions the emulator serves: v31.0 (Summer '14) to v68.0 (Winter '27). Salesforce
 * releases three versions a year (Spring, Summer, Winter), which gives each one's label.
 */
export const MIN_VERSION = 31;
export const MAX_VERSION = 68;

export function parseVersion(raw: string): string | undefined {
  const m = /^v(\d{2})\.0$/.exec(raw);
  if (!m) return undefined;
  const n = Number(m[1]);
  return n >= MIN_VERSION && n <= MAX_VERSION ? `${n}.0` : undefined;
}

function label(n: number): string {
  // v60.0 is Spring '24; counting releases from there gives season and year.
  const offset = n - 60;
  const season = ((offset % 3) + 3) % 3;
  const year = 24 + Math.floor(offset / 3) + (season === 2 ? 1 : 0);
  return `${["Spring", "Summer", "Winter"][season]} '${String(year).padStart(2, "0")}`;
}

export function versionList(): Array<{ label: string; url: string; version: string }> {
  const out = [];
  for (let n = MIN_VERSION; n <= MAX_VERSION; n++) out.push({ label: label(n), url: `/services/data/v${n}.0`, version: `${n}.0` });
  return out;
}
