import { describe, expect, it } from "vitest";
import { convertCrmValue } from "../../core/crm-values.ts";
import type { FieldDefinition } from "../../core/fields.ts";
import { mapHubSpotProperty, unsupportedReason } from "./property-types.ts";
import type { HubSpotObject, HubSpotProperty } from "./property-types.ts";

function prop(type: string, fieldType: string, extra: Partial<HubSpotProperty> = {}): HubSpotProperty {
  return { name: "custom_prop", label: "Custom prop", type, fieldType, ...extra };
}

const unsupported = { supported: false, reason: unsupportedReason };
const yesNoOptions = [
  { value: "Yes", label: "Yes" },
  { value: "No", label: "No" },
];

describe("mapHubSpotProperty", () => {
  it("uses the exact reason text", () => {
    expect(unsupportedReason).toBe("This field isn't supported and won't be imported.");
  });

  it.each<[string, HubSpotProperty, string]>([
    ["single-line text", prop("string", "text"), "text"],
    ["multi-line text", prop("string", "textarea"), "text"],
    ["phone stored as a string", prop("string", "phonenumber", { name: "phone", hubspotDefined: true }), "text"],
    ["number", prop("number", "number"), "number"],
    ["number shown as text", prop("number", "text"), "number"],
    ["date", prop("date", "date"), "date"],
    ["datetime", prop("datetime", "date"), "date"],
    ["datetime shown as text", prop("datetime", "text", { name: "notes_last_contacted" }), "date"],
    ["dropdown", prop("enumeration", "select"), "select"],
    ["radio", prop("enumeration", "radio"), "select"],
    ["multiple checkboxes", prop("enumeration", "checkbox"), "multi_select"],
    ["HubSpot-defined text", prop("string", "text", { name: "name", hubspotDefined: true }), "text"],
    ["a portal's own score number", prop("number", "number", { name: "nps_score", hubspotDefined: false }), "number"],
    ["deal pipeline", prop("enumeration", "select", { name: "pipeline", hubspotDefined: true }), "select"],
    ["dealstage on a company", prop("enumeration", "select", { name: "dealstage" }), "select"],
    ["readOnlyValue but not calculated", prop("number", "number", { modificationMetadata: { readOnlyValue: true } }), "number"],
    ["empty formula", prop("number", "number", { calculationFormula: "" }), "number"],
    ["null formula", prop("number", "number", { calculationFormula: null, calculated: false }), "number"],
    ["null referenced type", prop("string", "text", { referencedObjectType: null }), "text"],
  ])("%s", (_, property, type) => {
    const result = mapHubSpotProperty(property, "company");
    expect(result.supported && result.type).toBe(type);
  });

  it("copies options: HubSpot value as value, label as label, hidden ones kept, repeats dropped", () => {
    const result = mapHubSpotProperty(
      prop("enumeration", "select", {
        options: [
          { label: "Computer Software", value: "COMPUTER_SOFTWARE", displayOrder: 0, hidden: false },
          { label: "Retail", value: "RETAIL", displayOrder: 1, hidden: true },
          { label: "Retail again", value: "RETAIL", displayOrder: 2, hidden: false },
          { label: "", value: "blank_label", displayOrder: 3, hidden: false },
        ],
      }),
      "company",
    );
    expect(result).toEqual({
      supported: true,
      type: "select",
      options: [
        { value: "COMPUTER_SOFTWARE", label: "Computer Software" },
        { value: "RETAIL", label: "Retail" },
        { value: "blank_label", label: "blank_label" },
      ],
    });
  });

  it("copies checkbox options for a multi_select", () => {
    expect(
      mapHubSpotProperty(
        prop("enumeration", "checkbox", { options: [{ label: "Email", value: "email" }, { label: "Chat", value: "chat" }] }),
        "deal",
      ),
    ).toEqual({
      supported: true,
      type: "multi_select",
      options: [
        { value: "email", label: "Email" },
        { value: "chat", label: "Chat" },
      ],
    });
  });

  it("maps an enumeration without options to a select without options", () => {
    expect(mapHubSpotProperty(prop("enumeration", "radio"), "company")).toEqual({ supported: true, type: "select", options: [] });
  });

  it.each<[string, HubSpotProperty]>([
    ["bool checkbox", prop("bool", "booleancheckbox")],
    ["bool shown as radio", prop("bool", "radio")],
    ["bool shown as select", prop("bool", "select")],
    [
      "enumeration checkbox with true/false options",
      prop("enumeration", "booleancheckbox", {
        options: [
          { label: "True", value: "true" },
          { label: "False", value: "false" },
        ],
      }),
    ],
  ])("%s → select with options Yes, No", (_, property) => {
    const result = mapHubSpotProperty(property, "company");
    expect(result).toEqual({ supported: true, type: "select", options: yesNoOptions });
  });

  it("gives each import its own options array", () => {
    const first = mapHubSpotProperty(prop("bool", "booleancheckbox"), "company");
    const second = mapHubSpotProperty(prop("bool", "booleancheckbox"), "company");
    if (!first.supported || !second.supported) throw new Error("expected supported");
    first.options.push({ value: "Maybe", label: "Maybe" });
    expect(second.options).toEqual(yesNoOptions);
  });

  it.each<[string, HubSpotProperty, HubSpotObject]>([
    ["file", prop("string", "file"), "company"],
    ["file type", prop("file", "file"), "deal"],
    ["calculation_equation", prop("number", "calculation_equation"), "company"],
    ["calculation_rollup", prop("number", "calculation_rollup"), "company"],
    ["calculation_score", prop("number", "calculation_score"), "contact"],
    ["calculation_read_time", prop("number", "calculation_read_time"), "company"],
    ["calculated flag", prop("number", "number", { calculated: true }), "company"],
    ["calculated text", prop("string", "text", { calculated: true }), "company"],
    ["calculation formula", prop("number", "number", { calculationFormula: "amount * 2" }), "deal"],
    ["HubSpot score", prop("number", "number", { name: "hubspotscore", hubspotDefined: true }), "contact"],
    ["predictive score", prop("number", "number", { name: "hs_predictivecontactscore_v2", hubspotDefined: true }), "contact"],
    [
      "owner reference",
      prop("enumeration", "select", { name: "hubspot_owner_id", externalOptions: true, referencedObjectType: "OWNER" }),
      "company",
    ],
    ["owner reference without metadata", prop("enumeration", "select", { name: "hubspot_owner_id" }), "deal"],
    ["custom owner-typed property", prop("enumeration", "select", { name: "csm", referencedObjectType: "OWNER" }), "company"],
    ["lower-case owner reference", prop("enumeration", "select", { name: "csm", referencedObjectType: "owner" }), "company"],
    ["user reference", prop("enumeration", "select", { name: "approver", referencedObjectType: "USER" }), "deal"],
    ["created-by user", prop("number", "number", { name: "hs_created_by_user_id", hubspotDefined: true }), "company"],
    ["updated-by user", prop("number", "number", { name: "hs_updated_by_user_id", hubspotDefined: true }), "company"],
    ["all owners", prop("enumeration", "checkbox", { name: "hs_all_owner_ids", hubspotDefined: true }), "deal"],
    ["user ids of owners", prop("enumeration", "checkbox", { name: "hs_user_ids_of_all_owners", hubspotDefined: true }), "deal"],
    ["deal stage", prop("enumeration", "radio", { name: "dealstage", hubspotDefined: true }), "deal"],
    ["html", prop("string", "html"), "company"],
    ["json", prop("json", "text"), "company"],
    ["object_coordinates", prop("object_coordinates", "text"), "company"],
    ["phone_number type", prop("phone_number", "phonenumber"), "contact"],
    ["currency_number", prop("currency_number", "number"), "deal"],
    ["unknown fieldType", prop("string", "unknown"), "company"],
    ["string shown as select", prop("string", "select"), "company"],
    ["number as checkbox", prop("number", "checkbox"), "company"],
    ["date as number", prop("date", "number"), "company"],
    ["enumeration as text", prop("enumeration", "text"), "company"],
    ["bool as text", prop("bool", "text"), "company"],
    ["unknown type", prop("geo", "text"), "company"],
  ])("%s is not importable", (_, property, object) => {
    expect(mapHubSpotProperty(property, object)).toEqual(unsupported);
  });

  it("keeps a portal's own user_id text importable (only HubSpot's own are user references)", () => {
    expect(mapHubSpotProperty(prop("string", "text", { name: "partner_user_id" }), "company")).toEqual({
      supported: true,
      type: "text",
      options: [],
    });
  });

  it("imports a HubSpot bool whose values then convert to Yes/No", () => {
    const mapping = mapHubSpotProperty(prop("bool", "booleancheckbox", { name: "is_public" }), "company");
    if (!mapping.supported) throw new Error("expected supported");
    const field: FieldDefinition = {
      id: "f1",
      key: "is_public",
      label: "Is public",
      type: mapping.type,
      options: mapping.options,
      syncMapping: { provider: "hubspot", object: "company", property: "is_public" },
    };
    expect(convertCrmValue(field, "true")).toEqual({ ok: true, value: "Yes" });
    expect(convertCrmValue(field, "false")).toEqual({ ok: true, value: "No" });
    expect(convertCrmValue(field, "")).toEqual({ ok: true, value: null });
  });
});
