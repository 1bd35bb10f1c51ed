import { Group, Paper, Stack, Text } from "@mantine/core";
import type { ReactNode } from "react";

/**
 * A list of credentials as stacked rows rather than a table: on a 390 px phone each row wraps
 * and its revoke button stays on screen instead of behind a horizontal scroll.
 */
export function CredentialList({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md">
      <Stack gap={0} component="ul" p={0} m={0} aria-label={label} style={{ listStyle: "none" }}>
        {children}
      </Stack>
    </Paper>
  );
}

interface RowProps {
  title: ReactNode;
  badges?: ReactNode;
  details: ReactNode[];
  action?: ReactNode;
}

export function CredentialRow({ title, badges, details, action }: RowProps) {
  return (
    <Group component="li" justify="space-between" align="center" wrap="wrap" gap="sm" p="md" className="credential-row">
      <Stack gap={4} style={{ minWidth: 0, flex: "1 1 240px" }}>
        <Group gap="xs" wrap="wrap">
          <Text fw={600} size="sm" style={{ overflowWrap: "anywhere" }}>
            {title}
          </Text>
          {badges}
        </Group>
        {details.map((detail, i) => (
          <Text key={i} size="xs" c="dimmed" style={{ overflowWrap: "anywhere" }}>
            {detail}
          </Text>
        ))}
      </Stack>
      {action}
    </Group>
  );
}
