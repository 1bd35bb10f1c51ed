import { Anchor, Badge, Button, Code, Group, Paper, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { paths } from "../../paths.ts";
import { IconCheck } from "@tabler/icons-react";
import { useRunErrors } from "../../api/sync-runs.ts";
import type { RunError } from "../../api/types.ts";
import { ErrorAlert } from "../../components/ErrorAlert.tsx";
import { TableSkeleton } from "../../components/Loading.tsx";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";

function record(error: RunError, crmName: string): ReactNode {
  const parts: ReactNode[] = [];
  if (error.recordType === "customer" && error.recordId) {
    parts.push(
      <Anchor key="customer" component={Link} to={paths.customer(error.recordId)} size="xs">
        Open customer
      </Anchor>,
    );
  } else if (error.recordType === "contact" && error.recordId) {
    parts.push(
      <Anchor key="contact" component={Link} to={paths.contact(error.recordId)} size="xs">
        Open contact
      </Anchor>,
    );
  } else if (error.recordType) {
    parts.push(error.recordId ? `${error.recordType} ${error.recordId}` : error.recordType);
  }
  if (error.crmId) parts.push(`${crmName} ${error.recordType === "deal" ? "deal" : error.recordType === "contact" ? "contact" : "record"} ${error.crmId}`);
  return parts.length ? parts.map((part, i) => (i === 0 ? part : <span key={i}> · {part}</span>)) : null;
}

function RunErrorItem({ error }: { error: RunError }) {
  const where = record(error, useWorkspaceCrm().displayName);
  return (
    <Paper withBorder p="sm" radius="md" component="li" style={{ listStyle: "none" }} data-error-code={error.code}>
      <Group gap="xs" mb={4}>
        <Badge color="red" variant="light" tt="none">
          {error.code}
        </Badge>
        {where && (
          <Text size="xs" c="dimmed">
            {where}
          </Text>
        )}
      </Group>
      <Text size="sm" fw={500}>
        {error.message}
      </Text>
      {error.hint && (
        <Text size="sm" c="dimmed" mt={2}>
          <b>How to resolve:</b> {error.hint}
        </Text>
      )}
      {Object.keys(error.details).length > 0 && (
        <Code block mt={6} fz="xs">
          {JSON.stringify(error.details, null, 2)}
        </Code>
      )}
    </Paper>
  );
}

export function RunErrorsList({ runId, live, count }: { runId: string; live: boolean; count: number }) {
  const errors = useRunErrors(runId, live);
  const items = errors.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack gap="xs" component="section" aria-label="Run errors">
      <Title order={4}>Errors ({count})</Title>
      {errors.isError && <ErrorAlert error={errors.error} title="The run's errors could not be loaded" />}
      {errors.isPending ? (
        <TableSkeleton rows={3} />
      ) : items.length === 0 ? (
        <Group gap="xs">
          <IconCheck size={16} color="var(--mantine-color-green-7)" aria-hidden />
          <Text size="sm" c="dimmed">
            This run recorded no errors.
          </Text>
        </Group>
      ) : (
        <Stack gap="xs" component="ul" p={0} m={0}>
          {items.map((error) => (
            <RunErrorItem key={error.id} error={error} />
          ))}
        </Stack>
      )}
      {errors.hasNextPage && (
        <Button variant="default" onClick={() => void errors.fetchNextPage()} loading={errors.isFetchingNextPage} style={{ alignSelf: "center" }}>
          Load more errors
        </Button>
      )}
    </Stack>
  );
}
