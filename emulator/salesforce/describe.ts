import type { FieldDef, FieldType } from "./fields.ts";
import type { ObjectInfo } from "./schema.ts";

/** Describe answers in Salesforce's shape (the keys a describe call returns for each field). */
const SOAP_TYPES: Record<FieldType, string> = {
  id: "tns:ID",
  reference: "tns:ID",
  string: "xsd:string",
  textarea: "xsd:string",
  email: "xsd:string",
  phone: "xsd:string",
  url: "xsd:string",
  picklist: "xsd:string",
  multipicklist: "xsd:string",
  encryptedstring: "xsd:string",
  boolean: "xsd:boolean",
  currency: "xsd:double",
  percent: "xsd:double",
  double: "xsd:double",
  int: "xsd:int",
  long: "xsd:long",
  date: "xsd:date",
  datetime: "xsd:dateTime",
  address: "urn:address",
  location: "urn:location",
  base64: "xsd:base64Binary",
  anyType: "xsd:anyType",
};

const NOT_FILTERABLE = new Set<FieldType>(["address", "location", "base64", "anyType", "encryptedstring"]);

export function describeField(f: FieldDef): Record<string, unknown> {
  const longText = f.type === "textarea" && f.length > 255;
  const filterable = !NOT_FILTERABLE.has(f.type) && !longText;
  const textual = ["string", "textarea", "email", "phone", "url", "picklist", "multipicklist", "encryptedstring"].includes(f.type);
  return {
    aggregatable: filterable && f.type !== "multipicklist",
    aiPredictionField: false,
    autoNumber: false,
    byteLength: textual || f.type === "id" || f.type === "reference" ? f.length * 3 : 0,
    calculated: f.calculated,
    calculatedFormula: f.calculatedFormula,
    cascadeDelete: false,
    caseSensitive: false,
    compoundFieldName: f.compoundFieldName,
    controllerName: null,
    createable: f.createable,
    custom: f.custom,
    defaultValue: f.type === "boolean" ? false : null,
    defaultValueFormula: null,
    defaultedOnCreate: f.defaultedOnCreate,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: f.digits,
    displayLocationInDecimal: false,
    encrypted: f.type === "encryptedstring",
    externalId: false,
    extraTypeInfo: f.type === "textarea" ? (longText ? "plaintextarea" : null) : f.type === "phone" ? null : null,
    filterable,
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable: filterable && !["currency", "percent", "double", "datetime", "multipicklist"].includes(f.type),
    highScaleNumber: false,
    htmlFormatted: false,
    idLookup: f.type === "id" || f.type === "email",
    inlineHelpText: null,
    label: f.label,
    length: f.length,
    mask: null,
    maskType: null,
    name: f.name,
    nameField: f.nameField,
    namePointing: false,
    nillable: f.nillable,
    permissionable: f.nillable && !f.calculated && f.createable,
    picklistValues: f.picklistValues.map((p) => ({ ...p, validFor: null })),
    polymorphicForeignKey: false,
    precision: f.precision,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: f.referenceTo,
    relationshipName: f.relationshipName,
    relationshipOrder: null,
    restrictedDelete: false,
    restrictedPicklist: f.restrictedPicklist,
    scale: f.scale,
    searchPrefilterable: false,
    soapType: SOAP_TYPES[f.type],
    sortable: filterable && f.type !== "multipicklist",
    type: f.type,
    unique: false,
    updateable: f.updateable,
    writeRequiresMasterRead: false,
  };
}

export function objectUrls(info: ObjectInfo, version: string): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${info.name}`;
  return {
    compactLayouts: `${base}/describe/compactLayouts`,
    rowTemplate: `${base}/{ID}`,
    describe: `${base}/describe`,
    sobject: base,
    listviews: `${base}/listviews`,
  };
}

export function describeObjectSummary(info: ObjectInfo, version: string): Record<string, unknown> {
  const history = info.name === "ContactHistory";
  return {
    activateable: false,
    createable: !history,
    custom: false,
    customSetting: false,
    deepCloneable: false,
    deletable: !history,
    deprecatedAndHidden: false,
    feedEnabled: !history,
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: info.keyPrefix,
    label: info.label,
    labelPlural: info.labelPlural,
    layoutable: !history,
    mergeable: info.name !== "Opportunity" && !history,
    mruEnabled: !history,
    name: info.name,
    queryable: true,
    replicateable: true,
    retrieveable: true,
    searchable: !history,
    triggerable: !history,
    undeletable: !history,
    updateable: !history,
    urls: objectUrls(info, version),
  };
}

export function describeObject(info: ObjectInfo, version: string): Record<string, unknown> {
  return {
    ...describeObjectSummary(info, version),
    actionOverrides: [],
    childRelationships: info.childRelationships.map((r) => ({
      cascadeDelete: r.childSObject !== "Opportunity",
      childSObject: r.childSObject,
      deprecatedAndHidden: false,
      field: r.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: r.relationshipName,
      restrictedDelete: false,
    })),
    compactLayoutable: true,
    fields: info.fields.map(describeField),
    listviewable: null,
    lookupLayoutable: null,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: [],
    searchLayoutable: true,
    supportedScopes: [{ label: "All accounts", name: "everything" }, { label: "My accounts", name: "mine" }],
  };
}
