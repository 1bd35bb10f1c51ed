import { addressFields, field, locationFields, picklist, systemFields, type FieldDef } from "./fields.ts";
import { KEY_PREFIXES } from "./ids.ts";

/**
 * The emulated objects and their standard fields. The sets follow Salesforce's describe for
 * Account, Opportunity and Contact closely enough for field import; a few custom fields add the
 * types those objects lack as standard (multipicklist, percent, long, base64, anyType,
 * encryptedstring, location, a formula).
 */
export const OBJECT_NAMES = ["Account", "Opportunity", "Contact", "ContactHistory"] as const;
export type ObjectName = (typeof OBJECT_NAMES)[number];

export interface ChildRelationship {
  /** The relationship name used in a subquery: Opportunities, Contacts. */
  relationshipName: string;
  childSObject: ObjectName;
  field: string;
}

export interface ObjectInfo {
  name: ObjectName;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  fields: FieldDef[];
  childRelationships: ChildRelationship[];
}

const owner = (): FieldDef => field("OwnerId", "Owner ID", "reference", { nillable: false, defaultedOnCreate: true, referenceTo: ["User"], relationshipName: "Owner" });
const INDUSTRIES = ["Agriculture", "Banking", "Communications", "Consulting", "Education", "Electronics", "Energy", "Finance", "Healthcare", "Insurance", "Manufacturing", "Media", "Retail", "Technology", "Other"];
const LEAD_SOURCES = ["Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"];
export const STAGES = ["Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers", "Perception Analysis", "Proposal/Price Quote", "Negotiation/Review", "Closed Won", "Closed Lost"];

function account(): FieldDef[] {
  return [
    ...systemFields("Account"),
    field("Name", "Account Name", "string", { length: 255, nillable: false, nameField: true }),
    field("Type", "Account Type", "picklist", { picklistValues: picklist(["Prospect", "Customer - Direct", "Customer - Channel", "Channel Partner / Reseller", "Installation Partner", "Technology Partner", "Other"]) }),
    field("ParentId", "Parent Account ID", "reference", { referenceTo: ["Account"], relationshipName: "Parent" }),
    ...addressFields("Billing", "Billing"),
    ...addressFields("Shipping", "Shipping"),
    field("Phone", "Account Phone", "phone", { length: 40 }),
    field("Fax", "Account Fax", "phone", { length: 40 }),
    field("Website", "Website", "url"),
    field("Industry", "Industry", "picklist", { picklistValues: picklist(INDUSTRIES) }),
    field("AnnualRevenue", "Annual Revenue", "currency"),
    field("NumberOfEmployees", "Employees", "int", { digits: 8 }),
    field("Description", "Account Description", "textarea"),
    field("AccountSource", "Account Source", "picklist", { picklistValues: picklist(LEAD_SOURCES) }),
    owner(),
    field("LastActivityDate", "Last Activity", "date", { createable: false, updateable: false }),
    field("Segments__c", "Segments", "multipicklist", { picklistValues: picklist(["SMB", "Mid-Market", "Enterprise", "Public Sector", "Startup"]), length: 4099 }),
    field("Customer_Since__c", "Customer Since", "date"),
    field("Health_Score__c", "Health Score", "percent", { precision: 5, scale: 2 }),
    field("Is_Strategic__c", "Strategic", "boolean", { nillable: false, defaultedOnCreate: true }),
    field("Api_Calls_Total__c", "API Calls Total", "long"),
    field("Logo__c", "Logo", "base64"),
    field("Legacy_Payload__c", "Legacy Payload", "anyType"),
    field("Tax_Id__c", "Tax ID", "encryptedstring", { length: 175 }),
    ...locationFields("Headquarters", "Headquarters"),
    field("Revenue_Per_Employee__c", "Revenue per Employee", "currency", {
      calculated: true,
      createable: false,
      updateable: false,
      calculatedFormula: "IF(NumberOfEmployees > 0, AnnualRevenue / NumberOfEmployees, null)",
      compute: (v) => (typeof v.AnnualRevenue === "number" && typeof v.NumberOfEmployees === "number" && v.NumberOfEmployees > 0 ? Math.round((v.AnnualRevenue / v.NumberOfEmployees) * 100) / 100 : null),
    }),
  ];
}

function opportunity(): FieldDef[] {
  return [
    ...systemFields("Opportunity"),
    field("AccountId", "Account ID", "reference", { referenceTo: ["Account"], relationshipName: "Account" }),
    field("Name", "Name", "string", { length: 120, nillable: false, nameField: true }),
    field("Description", "Description", "textarea"),
    field("StageName", "Stage", "picklist", { nillable: false, picklistValues: picklist(STAGES, "Prospecting"), restrictedPicklist: true }),
    field("Amount", "Amount", "currency"),
    field("Probability", "Probability (%)", "percent", { precision: 3, scale: 0 }),
    field("ExpectedRevenue", "Expected Amount", "currency", {
      calculated: true,
      createable: false,
      updateable: false,
      calculatedFormula: "Amount * Probability / 100",
      compute: (v) => (typeof v.Amount === "number" && typeof v.Probability === "number" ? Math.round(v.Amount * v.Probability) / 100 : null),
    }),
    field("TotalOpportunityQuantity", "Quantity", "double", { precision: 18, scale: 2 }),
    field("CloseDate", "Close Date", "date", { nillable: false }),
    field("Type", "Opportunity Type", "picklist", { picklistValues: picklist(["Existing Customer - Upgrade", "Existing Customer - Replacement", "Existing Customer - Downgrade", "New Customer"]) }),
    field("NextStep", "Next Step", "string", { length: 255 }),
    field("LeadSource", "Lead Source", "picklist", { picklistValues: picklist(LEAD_SOURCES) }),
    field("IsClosed", "Closed", "boolean", { createable: false, updateable: false, nillable: false, defaultedOnCreate: true }),
    field("IsWon", "Won", "boolean", { createable: false, updateable: false, nillable: false, defaultedOnCreate: true }),
    field("ForecastCategoryName", "Forecast Category", "picklist", { picklistValues: picklist(["Omitted", "Pipeline", "Best Case", "Commit", "Closed"]) }),
    owner(),
    field("Competitors__c", "Competitors", "multipicklist", { picklistValues: picklist(["Acme", "Globex", "Initech", "Umbrella", "Hooli"]), length: 4099 }),
    field("Discount__c", "Discount", "percent", { precision: 5, scale: 2 }),
    field("Seats__c", "Seats", "double", { precision: 18, scale: 0 }),
  ];
}

function contact(): FieldDef[] {
  return [
    ...systemFields("Contact"),
    field("AccountId", "Account ID", "reference", { referenceTo: ["Account"], relationshipName: "Account" }),
    field("Salutation", "Salutation", "picklist", { picklistValues: picklist(["Mr.", "Ms.", "Mrs.", "Dr.", "Prof."]) }),
    field("FirstName", "First Name", "string", { length: 40 }),
    field("LastName", "Last Name", "string", { length: 80, nillable: false }),
    field("Name", "Full Name", "string", { length: 121, createable: false, updateable: false, nillable: false, nameField: true }),
    ...addressFields("Mailing", "Mailing"),
    field("Phone", "Business Phone", "phone", { length: 40 }),
    field("MobilePhone", "Mobile Phone", "phone", { length: 40 }),
    field("Email", "Email", "email", { length: 80 }),
    field("Title", "Title", "string", { length: 128 }),
    field("Department", "Department", "string", { length: 80 }),
    field("LeadSource", "Lead Source", "picklist", { picklistValues: picklist(LEAD_SOURCES) }),
    field("Birthdate", "Birthdate", "date"),
    field("Description", "Contact Description", "textarea"),
    field("HasOptedOutOfEmail", "Email Opt Out", "boolean", { nillable: false, defaultedOnCreate: true }),
    field("DoNotCall", "Do Not Call", "boolean", { nillable: false, defaultedOnCreate: true }),
    owner(),
    field("Lifecycle_Stage__c", "Lifecycle Stage", "picklist", { picklistValues: picklist(["Subscriber", "Lead", "MQL", "SQL", "Opportunity", "Customer", "Evangelist"]) }),
    field("Interests__c", "Interests", "multipicklist", { picklistValues: picklist(["Product", "Pricing", "Security", "Integrations", "Events"]), length: 4099 }),
  ];
}

function contactHistory(): FieldDef[] {
  const ro = { createable: false, updateable: false } as const;
  return [
    field("Id", "Contact History ID", "id", { ...ro, nillable: false }),
    field("IsDeleted", "Deleted", "boolean", { ...ro, nillable: false }),
    field("ContactId", "Contact ID", "reference", { ...ro, nillable: false, referenceTo: ["Contact"], relationshipName: "Contact" }),
    field("CreatedById", "Created By ID", "reference", { ...ro, nillable: false, referenceTo: ["User"], relationshipName: "CreatedBy" }),
    field("CreatedDate", "Created Date", "datetime", { ...ro, nillable: false }),
    field("Field", "Changed Field", "picklist", { ...ro, nillable: false }),
    field("DataType", "Data Type", "picklist", { ...ro }),
    field("OldValue", "Old Value", "anyType", { ...ro }),
    field("NewValue", "New Value", "anyType", { ...ro }),
  ];
}

export function standardObjects(): Record<ObjectName, ObjectInfo> {
  return {
    Account: {
      name: "Account",
      label: "Account",
      labelPlural: "Accounts",
      keyPrefix: KEY_PREFIXES.Account,
      fields: account(),
      childRelationships: [
        { relationshipName: "Opportunities", childSObject: "Opportunity", field: "AccountId" },
        { relationshipName: "Contacts", childSObject: "Contact", field: "AccountId" },
      ],
    },
    Opportunity: { name: "Opportunity", label: "Opportunity", labelPlural: "Opportunities", keyPrefix: KEY_PREFIXES.Opportunity, fields: opportunity(), childRelationships: [] },
    Contact: {
      name: "Contact",
      label: "Contact",
      labelPlural: "Contacts",
      keyPrefix: KEY_PREFIXES.Contact,
      fields: contact(),
      childRelationships: [{ relationshipName: "Histories", childSObject: "ContactHistory", field: "ContactId" }],
    },
    ContactHistory: { name: "ContactHistory", label: "Contact History", labelPlural: "Contact History", keyPrefix: KEY_PREFIXES.ContactHistory, fields: contactHistory(), childRelationships: [] },
  };
}

export function isObjectName(raw: string): raw is ObjectName {
  return (OBJECT_NAMES as readonly string[]).includes(raw);
}

/** Object names are case-insensitive in URLs and SOQL. */
export function resolveObjectName(raw: string): ObjectName | undefined {
  return OBJECT_NAMES.find((n) => n.toLowerCase() === raw.toLowerCase());
}

export function findField(info: ObjectInfo, name: string): FieldDef | undefined {
  const lower = name.toLowerCase();
  return info.fields.find((f) => f.name.toLowerCase() === lower);
}
