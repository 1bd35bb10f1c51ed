import { SalesforceError } from "./errors.ts";
import type { SfRecord } from "./records.ts";
import type { ObjectInfo } from "./schema.ts";
import { compileCondition, type QuerySource } from "./soql/compile.ts";
import { parseCondition } from "./soql/parser.ts";

/**
 * Validation rules: Salesforce rejects a write when a rule's error-condition formula is true.
 * The emulator takes the condition as a SOQL WHERE expression over the record as it would be
 * saved (e.g. `Email = null AND LeadSource = 'Web'`).
 */
export interface ValidationRuleInput {
  name: string;
  condition: string;
  message: string;
  /** Where the error is shown: a field (listed in `fields`) or the top of the page. */
  field?: string;
  active?: boolean;
}

export interface ValidationRule extends Required<Omit<ValidationRuleInput, "field">> {
  field: string | null;
  test(rec: SfRecord): boolean;
}

export function compileRules(raw: unknown, info: ObjectInfo, source: QuerySource): ValidationRule[] {
  if (!Array.isArray(raw)) throw new SalesforceError(400, "INVALID_INPUT", "rules must be an array");
  return raw.map((r: Partial<ValidationRuleInput>, i) => {
    if (!r || typeof r.name !== "string" || typeof r.condition !== "string" || typeof r.message !== "string") {
      throw new SalesforceError(400, "INVALID_INPUT", `rules[${i}] needs name, condition and message strings`);
    }
    const test = compileCondition(r.condition, parseCondition(r.condition), info, source);
    const field = r.field ? info.fields.find((f) => f.name.toLowerCase() === r.field!.toLowerCase())?.name : null;
    if (field === undefined) throw new SalesforceError(400, "INVALID_INPUT", `rules[${i}].field ${r.field} is not a field of ${info.name}`);
    return { name: r.name, condition: r.condition, message: r.message, field, active: r.active !== false, test };
  });
}

export function ruleJson(r: ValidationRule): Record<string, unknown> {
  return { name: r.name, condition: r.condition, message: r.message, field: r.field, active: r.active };
}
