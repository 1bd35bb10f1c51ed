import { SalesforceError } from "../errors.ts";
import type { GeneratorSizes } from "../generator.ts";

/** Seed sizes by name, and the body the reset/seed control routes take. */
export const SIZE_PRESETS = {
  tiny: { accounts: 20, opportunities: 30, contacts: 60 },
  small: { accounts: 500, opportunities: 800, contacts: 2000 },
  medium: { accounts: 12_000, opportunities: 15_000, contacts: 40_000 },
} as const satisfies Record<string, GeneratorSizes>;

export interface SeedBody extends Partial<GeneratorSizes> {
  seed?: number;
  preset?: keyof typeof SIZE_PRESETS;
}

export function sizesFrom(b: SeedBody): GeneratorSizes | undefined {
  if (b.preset) {
    const p = SIZE_PRESETS[b.preset];
    if (!p) throw new SalesforceError(400, "INVALID_INPUT", `Unknown preset ${b.preset}`);
    return { ...p };
  }
  if (b.accounts === undefined && b.opportunities === undefined && b.contacts === undefined) return undefined;
  return { accounts: b.accounts ?? 0, opportunities: b.opportunities ?? 0, contacts: b.contacts ?? 0 };
}
