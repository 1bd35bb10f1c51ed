// HubSpot's standard lifecycle stages, and the tag contact sync gives a contact for its stage
// (`lifecycle:<stage>`, decision 0008). Portals may add their own stages; those still show,
// under their internal name.
export const lifecycleTagPrefix = "lifecycle:";

export const lifecycleStages = [
  { value: "subscriber", label: "Subscriber" },
  { value: "lead", label: "Lead" },
  { value: "marketingqualifiedlead", label: "Marketing qualified lead" },
  { value: "salesqualifiedlead", label: "Sales qualified lead" },
  { value: "opportunity", label: "Opportunity" },
  { value: "customer", label: "Customer" },
  { value: "evangelist", label: "Evangelist" },
  { value: "other", label: "Other" },
] as const;

export function lifecycleLabel(stage: string): string {
  return lifecycleStages.find((s) => s.value === stage)?.label ?? stage;
}

/** The stage a tag stands for, or null for an ordinary tag. */
export function stageOfTag(tag: string): string | null {
  return tag.startsWith(lifecycleTagPrefix) ? tag.slice(lifecycleTagPrefix.length) : null;
}

export function lifecycleTag(stage: string): string {
  return `${lifecycleTagPrefix}${stage}`;
}
