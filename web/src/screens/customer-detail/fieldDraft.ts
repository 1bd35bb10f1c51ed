// Values being edited on the detail screen are kept as input text, then turned back into API
// values; only fields whose value changed are sent, so a stale screen cannot undo others' edits.
import type { CustomField, FieldValue } from "../../api/types.ts";

export type Draft = string | string[];

export function toDraft(field: CustomField, value: FieldValue | undefined): Draft {
  if (value === undefined || value === null) return field.type === "multi_select" ? [] : "";
  switch (field.type) {
    case "multi_select":
      return Array.isArray(value) ? value : [String(value)];
    case "yes_no":
      return value === true ? "true" : value === false ? "false" : "";
    case "date":
      return typeof value === "string" ? value.slice(0, 10) : "";
    default:
      return String(value);
  }
}

/** The API value of a draft; null clears. Throws with a readable message when it cannot be one. */
export function fromDraft(field: CustomField, draft: Draft): FieldValue {
  if (Array.isArray(draft)) return draft.length ? draft : null;
  const text = draft.trim();
  if (text === "") return null;
  switch (field.type) {
    case "number": {
      const n = Number(text);
      if (!Number.isFinite(n)) throw new Error(`${field.label} needs a number.`);
      return n;
    }
    case "yes_no":
      return text === "true";
    default:
      return text;
  }
}

export function sameDraft(a: Draft, b: Draft): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}
