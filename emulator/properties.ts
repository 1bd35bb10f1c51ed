import type { ObjectType } from "./object-types.ts";

/**
 * Property definitions: HubSpot's default properties for each object type plus a custom set
 * covering every type and fieldType (including those crmsync must refuse to import).
 */
export interface PropertyOption {
  label: string;
  value: string;
  description: string;
  displayOrder: number;
  hidden: boolean;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  description: string;
  groupName: string;
  options: PropertyOption[];
  displayOrder: number;
  calculated: boolean;
  calculationFormula?: string;
  externalOptions: boolean;
  hasUniqueValue: boolean;
  hidden: boolean;
  hubspotDefined: boolean;
  referencedObjectType?: string;
  showCurrencySymbol?: boolean;
  formField: boolean;
  /** 2026-09 (and recorded v3 answers) carry it on every definition. */
  dataSensitivity: "non_sensitive" | "sensitive" | "highly_sensitive";
  modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean; readOnlyOptions?: boolean };
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
}

const DEFINED_AT = "2019-08-06T02:41:08.029Z";
const CUSTOM_AT = "2023-03-14T09:12:44.512Z";

export function options(pairs: ReadonlyArray<readonly [string, string]>): PropertyOption[] {
  return pairs.map(([value, label], i) => ({ label, value, description: "", displayOrder: i, hidden: false }));
}

interface DefExtra {
  options?: PropertyOption[];
  readOnly?: boolean;
  calculated?: boolean;
  formula?: string;
  externalOptions?: boolean;
  unique?: boolean;
  referencedObjectType?: string;
  showCurrencySymbol?: boolean;
  group?: string;
  custom?: boolean;
  description?: string;
  hidden?: boolean;
}

function def(name: string, label: string, type: string, fieldType: string, extra: DefExtra = {}): PropertyDefinition {
  const custom = extra.custom ?? false;
  const readOnly = extra.readOnly ?? false;
  const d: PropertyDefinition = {
    name,
    label,
    type,
    fieldType,
    description: extra.description ?? "",
    groupName: extra.group ?? (custom ? "crmsync_emulator" : "information"),
    options: extra.options ?? [],
    displayOrder: custom ? 1 : -1,
    calculated: extra.calculated ?? false,
    externalOptions: extra.externalOptions ?? false,
    hasUniqueValue: extra.unique ?? false,
    hidden: extra.hidden ?? false,
    hubspotDefined: !custom,
    formField: !readOnly,
    dataSensitivity: "non_sensitive",
    modificationMetadata: { archivable: custom, readOnlyDefinition: !custom, readOnlyValue: readOnly },
    createdAt: custom ? CUSTOM_AT : DEFINED_AT,
    updatedAt: custom ? CUSTOM_AT : DEFINED_AT,
    archived: false,
  };
  if (type === "enumeration") d.modificationMetadata.readOnlyOptions = !custom;
  if (extra.formula !== undefined) d.calculationFormula = extra.formula;
  if (extra.referencedObjectType !== undefined) d.referencedObjectType = extra.referencedObjectType;
  if (extra.showCurrencySymbol !== undefined) d.showCurrencySymbol = extra.showCurrencySymbol;
  return d;
}

export const LIFECYCLE_STAGES = [
  "subscriber",
  "lead",
  "marketingqualifiedlead",
  "salesqualifiedlead",
  "opportunity",
  "customer",
  "evangelist",
  "other",
] as const;

const LIFECYCLE = options([
  ["subscriber", "Subscriber"],
  ["lead", "Lead"],
  ["marketingqualifiedlead", "Marketing Qualified Lead"],
  ["salesqualifiedlead", "Sales Qualified Lead"],
  ["opportunity", "Opportunity"],
  ["customer", "Customer"],
  ["evangelist", "Evangelist"],
  ["other", "Other"],
]);

export const INDUSTRIES = [
  "ACCOUNTING",
  "COMPUTER_SOFTWARE",
  "FINANCIAL_SERVICES",
  "HOSPITAL_HEALTH_CARE",
  "INFORMATION_TECHNOLOGY_AND_SERVICES",
  "INTERNET",
  "LOGISTICS_AND_SUPPLY_CHAIN",
  "MARKETING_AND_ADVERTISING",
  "RETAIL",
  "TELECOMMUNICATIONS",
] as const;

export const DEAL_STAGES = [
  "appointmentscheduled",
  "qualifiedtobuy",
  "presentationscheduled",
  "decisionmakerboughtin",
  "contractsent",
  "closedwon",
  "closedlost",
] as const;

export const OWNER_IDS = ["71234501", "71234502", "71234503", "71234504", "71234505", "71234506"] as const;

const OWNER_REF = { externalOptions: true, referencedObjectType: "OWNER" } as const;
const BOOL_OPTIONS = options([
  ["true", "Yes"],
  ["false", "No"],
]);

function systemDates(lastModified: string): PropertyDefinition[] {
  return [
    def("createdate", "Create Date", "datetime", "date", { readOnly: true }),
    def(lastModified, "Last Modified Date", "datetime", "date", { readOnly: true }),
    def("hs_object_id", "Record ID", "number", "number", { readOnly: true }),
    def("hs_merged_object_ids", "Merged Record IDs", "enumeration", "checkbox", { readOnly: true }),
    def("hubspot_owner_id", "Owner", "enumeration", "select", OWNER_REF),
  ];
}

export const CUSTOM_OPTIONS = {
  tier: ["bronze", "silver", "gold", "platinum"],
  interests: ["analytics", "automation", "integrations", "support", "security"],
  region: ["emea", "amer", "apac"],
} as const;

/** Custom properties: one of every type and fieldType, with the kinds crmsync must refuse. */
function customProperties(): PropertyDefinition[] {
  const c = { custom: true } as const;
  return [
    def("customer_tier", "Customer tier", "enumeration", "select", {
      ...c,
      options: options(CUSTOM_OPTIONS.tier.map((v) => [v, v[0]!.toUpperCase() + v.slice(1)] as const)),
    }),
    def("product_interests", "Product interests", "enumeration", "checkbox", {
      ...c,
      options: options(CUSTOM_OPTIONS.interests.map((v) => [v, v[0]!.toUpperCase() + v.slice(1)] as const)),
    }),
    def("sales_region", "Sales region", "enumeration", "radio", {
      ...c,
      options: options(CUSTOM_OPTIONS.region.map((v) => [v, v.toUpperCase()] as const)),
    }),
    def("is_strategic", "Strategic account", "bool", "booleancheckbox", { ...c, options: BOOL_OPTIONS }),
    def("contract_start", "Contract start", "date", "date", c),
    def("last_review_at", "Last review", "datetime", "date", c),
    def("health_score", "Health score", "number", "number", c),
    def("contract_value", "Contract value", "currency_number", "number", { ...c, showCurrencySymbol: true }),
    def("account_notes", "Account notes", "string", "textarea", c),
    def("internal_code", "Internal code", "string", "text", { ...c, unique: true }),
    def("support_phone", "Support phone", "phone_number", "phonenumber", c),
    def("profile_html", "Profile", "string", "html", c),
    def("hq_coordinates", "HQ coordinates", "object_coordinates", "text", c),
    def("legacy_payload", "Legacy payload", "json", "unknown", c),
    def("contract_file", "Signed contract", "string", "file", c),
    def("arr_formula", "ARR (formula)", "number", "calculation_equation", {
      ...c,
      calculated: true,
      readOnly: true,
      formula: "contract_value * 12",
    }),
    def("total_open_amount", "Total open amount", "number", "calculation_rollup", { ...c, calculated: true, readOnly: true }),
    def("fit_score", "Fit score", "number", "calculation_score", { ...c, calculated: true, readOnly: true }),
    def("notes_read_time", "Notes read time", "number", "calculation_read_time", { ...c, calculated: true, readOnly: true }),
    def("account_manager", "Account manager", "enumeration", "select", { ...c, ...OWNER_REF }),
  ];
}

function companyProperties(): PropertyDefinition[] {
  return [
    def("name", "Company name", "string", "text"),
    def("domain", "Company Domain Name", "string", "text"),
    // As HubSpot defines it: a hidden multi-value enumeration with no options (any domain).
    def("hs_additional_domains", "Additional Domains", "enumeration", "checkbox", {
      description: "Additional domains belonging to this company",
      hidden: true,
    }),
    def("website", "Website URL", "string", "text"),
    def("phone", "Phone Number", "string", "phonenumber"),
    def("industry", "Industry", "enumeration", "select", {
      options: options(INDUSTRIES.map((v) => [v, v.toLowerCase().replace(/_/g, " ")] as const)),
    }),
    def("annualrevenue", "Annual Revenue", "number", "number"),
    def("numberofemployees", "Number of Employees", "number", "number"),
    def("city", "City", "string", "text"),
    def("country", "Country/Region", "string", "text"),
    def("description", "Description", "string", "textarea"),
    def("type", "Type", "enumeration", "select", {
      options: options([
        ["PROSPECT", "Prospect"],
        ["PARTNER", "Partner"],
        ["RESELLER", "Reseller"],
        ["VENDOR", "Vendor"],
        ["OTHER", "Other"],
      ]),
    }),
    def("lifecyclestage", "Lifecycle Stage", "enumeration", "radio", { options: LIFECYCLE }),
    def("num_associated_contacts", "Number of Associated Contacts", "number", "number", { calculated: true, readOnly: true }),
    def("num_associated_deals", "Number of Associated Deals", "number", "number", { calculated: true, readOnly: true }),
    def("hs_analytics_num_visits", "Number of Sessions", "number", "number", { calculated: true, readOnly: true }),
    ...companyCalculatedProperties(),
    ...systemDates("hs_lastmodifieddate"),
    ...customProperties(),
  ];
}

/**
 * HubSpot-defined calculated company properties with the type/fieldType pairs a real portal
 * has beyond the plain ones (recorded definitions): datetime/text and number/text rollup
 * context, string/calculation_equation, datetime/calculation_read_time,
 * datetime/calculation_rollup, enumeration/calculation_rollup, datetime/calculation_equation.
 */
function companyCalculatedProperties(): PropertyDefinition[] {
  const calc = { readOnly: true, hidden: true } as const;
  return [
    def("first_contact_createdate_timestamp_earliest_value_78b50eea", "first_contact_createdate_timestamp_earliest_value_78b50eea", "datetime", "text", {
      ...calc,
      description: "Calculation context property providing timestamp for rollup property first_contact_createdate",
    }),
    def("hs_analytics_num_page_views_cardinality_sum_e46e85b0", "hs_analytics_num_page_views_cardinality_sum_e46e85b0", "number", "text", {
      ...calc,
      group: "analyticsinformation",
      description: "Calculation context property providing cardinality for rollup property hs_analytics_num_page_views",
    }),
    def("hs_annual_revenue_currency_code", "Annual Revenue Currency Code", "string", "calculation_equation", { ...calc, formula: "'USD'" }),
    def("hs_date_entered_customer", "Date entered 'Customer (Lifecycle Stage Pipeline)'", "datetime", "calculation_read_time", calc),
    def("hs_last_logged_outgoing_email_date", "Last Logged Outgoing Email Date", "datetime", "calculation_rollup", { readOnly: true, group: "company_activity" }),
    def("hs_plays", "Plays", "enumeration", "calculation_rollup", { readOnly: true, externalOptions: true, group: "prospectingagent" }),
    def("hs_v2_date_entered_current_stage", "Date entered current stage", "datetime", "calculation_equation", {
      readOnly: true,
      calculated: true,
      group: "companylcs",
      formula: "string_to_number(timestamp(lifecyclestage))",
    }),
  ];
}

function dealProperties(): PropertyDefinition[] {
  return [
    def("dealname", "Deal Name", "string", "text"),
    def("amount", "Amount", "number", "number"),
    def("dealstage", "Deal Stage", "enumeration", "radio", {
      options: options(DEAL_STAGES.map((v) => [v, v] as const)),
    }),
    def("pipeline", "Pipeline", "enumeration", "select", { options: options([["default", "Sales Pipeline"]]) }),
    def("closedate", "Close Date", "datetime", "date"),
    def("dealtype", "Deal Type", "enumeration", "radio", {
      options: options([
        ["newbusiness", "New Business"],
        ["existingbusiness", "Existing Business"],
      ]),
    }),
    def("description", "Deal Description", "string", "textarea"),
    def("hs_deal_stage_probability", "Deal probability", "number", "number", { calculated: true, readOnly: true }),
    def("hs_is_closed", "Is Deal Closed?", "bool", "booleancheckbox", { calculated: true, readOnly: true, options: BOOL_OPTIONS }),
    ...systemDates("hs_lastmodifieddate"),
    ...customProperties(),
  ];
}

function contactProperties(): PropertyDefinition[] {
  return [
    def("email", "Email", "string", "text", { unique: true }),
    def("firstname", "First Name", "string", "text"),
    def("lastname", "Last Name", "string", "text"),
    def("phone", "Phone Number", "string", "phonenumber"),
    def("mobilephone", "Mobile Phone Number", "string", "phonenumber"),
    def("company", "Company Name", "string", "text"),
    def("jobtitle", "Job Title", "string", "text"),
    def("website", "Website URL", "string", "text"),
    def("city", "City", "string", "text"),
    def("country", "Country/Region", "string", "text"),
    def("lifecyclestage", "Lifecycle Stage", "enumeration", "radio", { options: LIFECYCLE }),
    def("hs_lead_status", "Lead Status", "enumeration", "radio", {
      options: options([
        ["NEW", "New"],
        ["OPEN", "Open"],
        ["IN_PROGRESS", "In Progress"],
        ["CONNECTED", "Connected"],
        ["UNQUALIFIED", "Unqualified"],
      ]),
    }),
    def("hs_additional_emails", "Additional email addresses", "enumeration", "checkbox", { readOnly: true }),
    def("hs_email_domain", "Email Domain", "string", "text", { calculated: true, readOnly: true }),
    ...systemDates("lastmodifieddate"),
    ...customProperties(),
  ];
}

export function defaultPropertyDefinitions(type: ObjectType): PropertyDefinition[] {
  if (type === "companies") return companyProperties();
  if (type === "deals") return dealProperties();
  return contactProperties();
}

/** Values that the emulator computes itself; they are never stored in a record's props. */
export const COMPUTED_PROPERTIES = new Set(["createdate", "hs_lastmodifieddate", "lastmodifieddate", "hs_object_id"]);

export class PropertyRegistry {
  private readonly byType = new Map<ObjectType, Map<string, PropertyDefinition>>();

  constructor() {
    this.reset();
  }

  reset(): void {
    // Maps are refilled in place: routes keep references to them.
    for (const t of ["companies", "deals", "contacts"] as const) {
      let m = this.byType.get(t);
      if (!m) {
        m = new Map();
        this.byType.set(t, m);
      }
      m.clear();
      for (const d of defaultPropertyDefinitions(t)) m.set(d.name, d);
    }
  }

  map(type: ObjectType): Map<string, PropertyDefinition> {
    const m = this.byType.get(type);
    if (!m) throw new Error(`no properties for ${type}`);
    return m;
  }

  list(type: ObjectType, archived = false): PropertyDefinition[] {
    return [...this.map(type).values()].filter((d) => d.archived === archived);
  }

  get(type: ObjectType, name: string): PropertyDefinition | undefined {
    const d = this.map(type).get(name);
    return d && !d.archived ? d : undefined;
  }
}
