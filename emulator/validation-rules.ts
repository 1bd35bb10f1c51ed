import { validationError } from "./errors.ts";
import type { ObjectType } from "./object-types.ts";
import type { PropertyRegistry } from "./properties.ts";
import type { Props } from "./records.ts";

/**
 * A portal's property validation rules, which HubSpot enforces on CRM writes from API version
 * 2026-09 on (legacy v3 writes are not checked). Three kinds, set through the control API:
 * - `required_when`: `property` must have a value when `when.property` equals `when.equals`
 *   (without `when`: always required), e.g. closedate once dealstage is closedwon;
 * - `regex`: a written value must match `pattern` (whole value);
 * - `range`: a written number must lie within `min`/`max`.
 */
export type ValidationRule =
  | { kind: "required_when"; property: string; when?: { property: string; equals: string } }
  | { kind: "regex"; property: string; pattern: string; message?: string }
  | { kind: "range"; property: string; min?: number; max?: number };

export interface RuleViolation {
  property: string;
  code: "REQUIRED_PROPERTY_MISSING" | "INVALID_FORMAT" | "OUT_OF_RANGE";
  message: string;
  context: Record<string, string[]>;
}

function parseRule(raw: unknown, known: (name: string) => boolean): ValidationRule {
  const r = (raw ?? {}) as Record<string, unknown>;
  const property = typeof r.property === "string" ? r.property : "";
  if (!known(property)) throw validationError(`Validation rule: unknown property "${property}"`);
  if (r.kind === "required_when") {
    if (r.when === undefined) return { kind: "required_when", property };
    const w = r.when as Record<string, unknown>;
    if (typeof w.property !== "string" || !known(w.property) || typeof w.equals !== "string")
      throw validationError("Validation rule: when needs a known property and an equals value");
    return { kind: "required_when", property, when: { property: w.property, equals: w.equals } };
  }
  if (r.kind === "regex") {
    if (typeof r.pattern !== "string") throw validationError("Validation rule: regex needs a pattern");
    try {
      new RegExp(r.pattern);
    } catch (e) {
      throw validationError(`Validation rule: invalid pattern: ${(e as Error).message}`);
    }
    const rule: ValidationRule = { kind: "regex", property, pattern: r.pattern };
    if (typeof r.message === "string") rule.message = r.message;
    return rule;
  }
  if (r.kind === "range") {
    const rule: ValidationRule = { kind: "range", property };
    if (r.min !== undefined) rule.min = Number(r.min);
    if (r.max !== undefined) rule.max = Number(r.max);
    if ((rule.min !== undefined && !Number.isFinite(rule.min)) || (rule.max !== undefined && !Number.isFinite(rule.max)) || (rule.min === undefined && rule.max === undefined))
      throw validationError("Validation rule: range needs a numeric min and/or max");
    return rule;
  }
  throw validationError(`Validation rule: kind must be required_when, regex or range (got ${String(r.kind)})`);
}

export class ValidationRules {
  private readonly byType = new Map<ObjectType, ValidationRule[]>();

  clear(): void {
    this.byType.clear();
  }

  get(type: ObjectType): ValidationRule[] {
    return this.byType.get(type) ?? [];
  }

  /** Replaces a type's rules; throws a VALIDATION_ERROR naming the first bad rule. */
  set(type: ObjectType, raw: unknown, properties: PropertyRegistry): ValidationRule[] {
    if (!Array.isArray(raw)) throw validationError("rules must be an array");
    const rules = raw.map((r) => parseRule(r, (name) => properties.get(type, name) !== undefined));
    this.byType.set(type, rules);
    return rules;
  }

  /**
   * The rules a write breaks. `current` is the record before the write ({} on create);
   * a required rule is checked when the write creates the record or touches either property,
   * so an old record that breaks a new rule can still be edited elsewhere.
   */
  check(type: ObjectType, current: Props, changes: Props, creating: boolean): RuleViolation[] {
    const out: RuleViolation[] = [];
    const after = { ...current, ...changes };
    const has = (name: string): boolean => (after[name] ?? "") !== "";
    for (const rule of this.get(type)) {
      const written = Object.hasOwn(changes, rule.property);
      const value = changes[rule.property] ?? "";
      if (rule.kind === "required_when") {
        const touched = creating || written || (rule.when !== undefined && Object.hasOwn(changes, rule.when.property));
        const applies = rule.when === undefined || (after[rule.when.property] ?? "").toLowerCase() === rule.when.equals.toLowerCase();
        if (touched && applies && !has(rule.property)) {
          const context: Record<string, string[]> = { rule: ["required_when"] };
          if (rule.when) Object.assign(context, { whenProperty: [rule.when.property], whenValue: [rule.when.equals] });
          const message = rule.when
            ? `${rule.property} is required when ${rule.when.property} is ${rule.when.equals}`
            : `${rule.property} is required`;
          out.push({ property: rule.property, code: "REQUIRED_PROPERTY_MISSING", message, context });
        }
      } else if (rule.kind === "regex") {
        if (written && value !== "" && !new RegExp(`^(?:${rule.pattern})$`).test(value))
          out.push({
            property: rule.property,
            code: "INVALID_FORMAT",
            message: rule.message ?? `${value} does not match the format required for ${rule.property}`,
            context: { rule: ["regex"], pattern: [rule.pattern] },
          });
      } else if (written && value !== "") {
        const n = Number(value);
        if (!Number.isFinite(n) || (rule.min !== undefined && n < rule.min) || (rule.max !== undefined && n > rule.max)) {
          const context: Record<string, string[]> = { rule: ["range"] };
          if (rule.min !== undefined) context.min = [String(rule.min)];
          if (rule.max !== undefined) context.max = [String(rule.max)];
          const bounds = [rule.min !== undefined ? `at least ${rule.min}` : "", rule.max !== undefined ? `at most ${rule.max}` : ""].filter(Boolean).join(" and ");
          out.push({ property: rule.property, code: "OUT_OF_RANGE", message: `${rule.property} must be ${bounds} (got ${value})`, context });
        }
      }
    }
    return out;
  }
}

/** The error details of broken rules, as HubSpot lists them in `errors[]`. */
export function violationDetails(violations: readonly RuleViolation[]): Array<{ message: string; in: string; code: string; context: Record<string, string[]> }> {
  return violations.map((v) => ({ message: v.message, in: v.property, code: v.code, context: v.context }));
}

export function violationsMessage(violations: readonly RuleViolation[]): string {
  return `Property values did not meet the portal's validation rules: ${violations.map((v) => v.message).join("; ")}`;
}
