// The package ships JSON and an ESM entry without type declarations.
declare module "email-providers" {
  /** Registrable domains of e-mail providers, lower-case. */
  const domains: string[];
  export default domains;
}
