import { Tooltip } from "@mantine/core";
import { useCrmNames } from "./useCrmName.ts";
import { useWorkspaceCrm } from "./useWorkspaceCrm.ts";
import { crmWording } from "./wording.ts";

interface Props {
  /** The CRM the value comes from (a synced field's mapping names it); the workspace's CRM when left out. */
  provider?: string | undefined;
  size?: number;
  /** What the tooltip and screen readers say; "Synced from <CRM>" when left out. */
  label?: string;
}

/** Each CRM's small glyph on a 16×16 grid, drawn in its colour; a CRM without one gets a linked dot. */
function Glyph({ provider, color }: { provider: string; color: string }) {
  switch (provider) {
    case "hubspot":
      return (
        <>
          <circle cx="9.5" cy="9.5" r="3.6" fill="none" stroke={color} strokeWidth="2" />
          <path d="M9.5 5.9V2.6M6.9 7 2.8 3.6" stroke={color} strokeWidth="2" strokeLinecap="round" />
          <circle cx="9.5" cy="2.2" r="1.6" fill={color} />
          <circle cx="2.6" cy="3.3" r="1.4" fill={color} />
          <path d="M12.1 12.1 14.2 14.2" stroke={color} strokeWidth="2" strokeLinecap="round" />
        </>
      );
    case "salesforce":
      return <path d="M4.2 12.6a3 3 0 0 1-.4-6 3.6 3.6 0 0 1 6.6-1.4 2.9 2.9 0 0 1 4 2.7 2.4 2.4 0 0 1-1 4.7z" fill={color} />;
    default:
      return (
        <>
          <circle cx="8" cy="8" r="5.6" fill="none" stroke={color} strokeWidth="2" />
          <circle cx="8" cy="8" r="2.2" fill={color} />
        </>
      );
  }
}

/** The small mark set on everything whose value comes from a CRM, in that CRM's colour. */
export function CrmMark({ provider, size = 14, label }: Props) {
  const crm = useWorkspaceCrm();
  const names = useCrmNames();
  const id = provider ?? crm.id;
  const text = label ?? `Synced from ${names(id)}`;
  return (
    <Tooltip label={text}>
      <svg role="img" aria-label={text} width={size} height={size} viewBox="0 0 16 16" style={{ flex: "none", verticalAlign: "-2px" }} data-crm-mark={id}>
        <Glyph provider={id} color={crmWording(id).color} />
      </svg>
    </Tooltip>
  );
}
