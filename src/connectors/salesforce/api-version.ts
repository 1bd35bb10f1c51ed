// The one Salesforce REST API version crmsync speaks (Spring '26). Every data path is built
// here, so moving to a newer version is this one line and a run of the recorded-answer tests.
export const salesforceApiVersion = "v66.0";

/** A REST data path of this version, e.g. dataPath("/limits"). */
export function dataPath(rest: string): string {
  return `/services/data/${salesforceApiVersion}${rest}`;
}
