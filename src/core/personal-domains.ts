// Free-mail and personal domains (gmail.com, proton.me...) name no company: a customer whose
// domain is one of them must never be linked to the CRM company that happens to carry it
// (product spec §3.1). The list is the maintained `email-providers` package; each workspace
// can add domains (deny) or take some back (allow) where the list is wrong for it.
import emailProviders from "email-providers";
import { parse } from "tldts";

const providers: ReadonlySet<string> = new Set(emailProviders);

export interface PersonalDomainRules {
  /** Domains the workspace treats as a company's even though the list names them personal. */
  allow: readonly string[];
  /** Domains the workspace treats as personal though the list does not name them. */
  deny: readonly string[];
}

export const noPersonalDomainRules: PersonalDomainRules = { allow: [], deny: [] };

/** Whether a normalised domain is personal under these rules; subdomains follow their registrable domain. */
export function personalDomainCheck(rules: PersonalDomainRules): (domain: string) => boolean {
  const allow = new Set(rules.allow);
  const deny = new Set(rules.deny);
  return (domain) => {
    const registrable = parse(domain).domain ?? domain;
    for (const name of domain === registrable ? [domain] : [domain, registrable]) {
      if (allow.has(name)) return false;
      if (deny.has(name)) return true;
    }
    return providers.has(domain) || providers.has(registrable);
  };
}
