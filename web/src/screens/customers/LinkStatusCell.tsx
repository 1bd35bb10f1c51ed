import { ActionIcon, Badge, Group, Text, Tooltip } from "@mantine/core";
import { IconLink } from "@tabler/icons-react";
import type { Customer } from "../../api/types.ts";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";

/** Why an unlinked customer has no company in the CRM, in the words a person would use. */
export function unlinkedReason(customer: Customer): string | null {
  const status = customer.linkStatus;
  if (customer.crmLink || status.state === "linked") return null;
  if (status.state === "not_checked") return "Not checked yet";
  switch (status.reason) {
    case "no_domains":
      return "No domain";
    case "personal_domain":
      // Free-mail domains (gmail.com) never link by themselves: only a person can say which company it is.
      return "Personal domain: link by hand";
    case "ambiguous":
      return `Several matching companies${status.candidates?.length ? ` (${status.candidates.length})` : ""}`;
    case "no_match":
      return "No matching company";
    default:
      return "Not linked";
  }
}

interface Props {
  customer: Customer;
  /** Shows the link icon; false while the CRM is not connected. */
  canLink: boolean;
  onLink: (customer: Customer) => void;
}

export function LinkStatusCell({ customer, canLink, onLink }: Props) {
  const link = customer.crmLink;
  const reason = unlinkedReason(customer);
  const name = useWorkspaceCrm().displayName;
  return (
    <Group gap={6} wrap="nowrap">
      {canLink && (
        <Tooltip label={link ? `Change ${name} link` : `Link to ${name}`}>
          <ActionIcon variant="subtle" color={link ? "orange" : "gray"} aria-label={`Link ${customer.name} to ${name}`} onClick={() => onLink(customer)}>
            <IconLink size={18} aria-hidden />
          </ActionIcon>
        </Tooltip>
      )}
      {link ? (
        <Tooltip label={`Company ${link.companyId}${link.dealId ? `, deal ${link.dealId}` : ", no deal"} · linked ${link.source === "manual" ? "by hand" : "automatically"}`}>
          <Badge color="green" variant="light" className="nowrap" tt="none" style={{ flex: "none", overflow: "visible" }}>
            Linked{link.source === "manual" ? " by hand" : ""}
          </Badge>
        </Tooltip>
      ) : (
        <Text size="xs" c={customer.linkStatus.state === "unlinked" ? "orange.8" : "dimmed"} className="nowrap">
          {reason}
        </Text>
      )}
    </Group>
  );
}
