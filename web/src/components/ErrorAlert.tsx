import { Alert, Button, Group, Text } from "@mantine/core";
import { IconAlertCircle } from "@tabler/icons-react";
import { errorMessage } from "../api/client.ts";

interface Props {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}

/** The API's own message, which says what went wrong and usually what to do. */
export function ErrorAlert({ error, title = "Something went wrong", onRetry }: Props) {
  return (
    <Alert color="red" variant="light" title={title} icon={<IconAlertCircle aria-hidden />} role="alert">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Text size="sm">{errorMessage(error)}</Text>
        {onRetry && (
          <Button size="xs" variant="white" color="red" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Group>
    </Alert>
  );
}
