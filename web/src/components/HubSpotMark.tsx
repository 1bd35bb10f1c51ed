import { Tooltip } from "@mantine/core";
import { hubspotOrange } from "../theme.ts";

interface Props {
  size?: number;
  /** What the tooltip and screen readers say. */
  label?: string;
}

/** The small orange mark set on everything whose value comes from HubSpot. */
export function HubSpotMark({ size = 14, label = "Synced from HubSpot" }: Props) {
  return (
    <Tooltip label={label}>
      <svg role="img" aria-label={label} width={size} height={size} viewBox="0 0 16 16" style={{ flex: "none", verticalAlign: "-2px" }} data-hubspot-mark>
        <circle cx="9.5" cy="9.5" r="3.6" fill="none" stroke={hubspotOrange} strokeWidth="2" />
        <path d="M9.5 5.9V2.6M6.9 7 2.8 3.6" stroke={hubspotOrange} strokeWidth="2" strokeLinecap="round" />
        <circle cx="9.5" cy="2.2" r="1.6" fill={hubspotOrange} />
        <circle cx="2.6" cy="3.3" r="1.4" fill={hubspotOrange} />
        <path d="M12.1 12.1 14.2 14.2" stroke={hubspotOrange} strokeWidth="2" strokeLinecap="round" />
      </svg>
    </Tooltip>
  );
}
