import { SalesforceError } from "../errors.ts";

/**
 * Salesforce quotes the query, points at the column and names the problem:
 * "\nSELECT Id FROM\n              ^\nERROR at Row:1:Column:15\nunexpected token: <EOF>".
 */
function located(text: string, column: number, detail: string): string {
  const line = text.replace(/\s+/g, " ");
  return `\n${line}\n${" ".repeat(Math.max(0, column - 1))}^\nERROR at Row:1:Column:${column}\n${detail}`;
}

export function malformed(text: string, column: number, detail: string): SalesforceError {
  return new SalesforceError(400, "MALFORMED_QUERY", located(text, column, detail));
}

export function invalidField(text: string, column: number, detail: string): SalesforceError {
  return new SalesforceError(400, "INVALID_FIELD", located(text, column, detail));
}

export function noSuchColumn(text: string, column: number, name: string, entity: string): SalesforceError {
  return invalidField(
    text,
    column,
    `No such column '${name}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}

export function invalidType(text: string, column: number, name: string): SalesforceError {
  return new SalesforceError(
    400,
    "INVALID_TYPE",
    located(text, column, `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`),
  );
}
