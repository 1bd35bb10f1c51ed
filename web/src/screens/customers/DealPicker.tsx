import { Loader, NativeSelect } from "@mantine/core";
import { useCompanyDeals } from "../../api/crm-links.ts";
import type { CrmDeal } from "../../api/types.ts";
import { ErrorAlert } from "../../components/ErrorAlert.tsx";
import { formatDate, formatNumber } from "../../components/format.ts";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { capitalized } from "../../crm/wording.ts";

interface Props {
  companyId: string;
  /** undefined: not chosen, which means the most recently created deal, as automatic linking picks. */
  value: string | null | undefined;
  onChange: (dealId: string | null) => void;
}

function dealLabel(deal: CrmDeal): string {
  const parts = [deal.name ?? `Deal ${deal.id}`];
  if (deal.amount) parts.push(Number.isFinite(Number(deal.amount)) ? formatNumber(Number(deal.amount)) : deal.amount);
  if (deal.createdAt) parts.push(`created ${formatDate(deal.createdAt)}`);
  return parts.join(" · ");
}

/** An optional deal among the chosen company's deals. */
export function DealPicker({ companyId, value, onChange }: Props) {
  const deals = useCompanyDeals(companyId);
  const { company, deal: noun } = useWorkspaceCrm().wording;
  if (deals.isError) return <ErrorAlert error={deals.error} title={`The ${company.one}'s ${noun.many} could not be loaded`} />;
  const items = deals.data ?? [];
  // The list is newest first, so the first deal is what "not chosen" means.
  const shown = value === undefined ? (items[0]?.id ?? "") : (value ?? "");
  return (
    <NativeSelect
      label={`${capitalized(noun.one)} (optional)`}
      description={deals.isPending ? undefined : items.length === 0 ? `This ${company.one} has no ${noun.many}.` : `${capitalized(noun.one)} properties are synced from this ${noun.one}; the most recent one is chosen unless you pick another.`}
      rightSection={deals.isPending ? <Loader size={14} aria-label={`Loading ${noun.many}`} /> : undefined}
      disabled={deals.isPending || items.length === 0}
      data={[{ value: "", label: `No ${noun.one}` }, ...items.map((deal) => ({ value: deal.id, label: dealLabel(deal) }))]}
      value={shown}
      onChange={(e) => onChange(e.currentTarget.value || null)}
    />
  );
}
