import { Anchor, Badge, Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { IconExternalLink, IconLink } from "@tabler/icons-react";
import type { Customer } from "../../api/types.ts";
import { formatDateTime } from "../../components/format.ts";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { unlinkedReason } from "../customers/LinkStatusCell.tsx";

export function CustomerLinkCard({ customer, onLink }: { customer: Customer; onLink: () => void }) {
  const crm = useWorkspaceCrm();
  const name = crm.displayName;
  const link = customer.crmLink;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={`${name} link`}>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={4}>{name}</Title>
          {link ? (
            <>
              <Group gap="xs">
                <Badge color="green" variant="light">
                  Linked {link.source === "manual" ? "by hand" : "automatically"}
                </Badge>
                <Text size="sm" c="dimmed">
                  since {formatDateTime(link.linkedAt)}
                </Text>
              </Group>
              <Text size="sm">
                Company {link.companyId}
                {" · "}
                {link.dealId ? <>Deal {link.dealUrl ? <Anchor href={link.dealUrl} target="_blank" rel="noreferrer">{link.dealId} <IconExternalLink size={12} aria-hidden /></Anchor> : link.dealId}</> : "no deal"}
              </Text>
              {link.companyUrl && (
                <Anchor href={link.companyUrl} target="_blank" rel="noreferrer" size="sm">
                  Open in {name} <IconExternalLink size={12} aria-hidden />
                </Anchor>
              )}
            </>
          ) : (
            <Text size="sm" c={customer.linkStatus.state === "unlinked" ? "orange.8" : "dimmed"}>
              Not linked: {unlinkedReason(customer)?.toLowerCase()}
              {customer.linkStatus.checkedAt ? ` (checked ${formatDateTime(customer.linkStatus.checkedAt)})` : ""}.
            </Text>
          )}
        </Stack>
        {crm.connected && (
          <Button variant="light" leftSection={<IconLink size={16} aria-hidden />} onClick={onLink}>
            Link to {name}
          </Button>
        )}
      </Group>
    </Paper>
  );
}
