import { Alert, Code, Group, Text } from "@mantine/core";
import { IconAlertCircle } from "@tabler/icons-react";
import { errorMessage, isApiError } from "../../api/client.ts";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";

/** What the server refused and why; a missing write scope also names the scope to grant. */
export function ContactSyncErrorAlert({ error, title }: { error: unknown; title: string }) {
  const missing = isApiError(error) && Array.isArray(error.details["missingScopes"]) ? (error.details["missingScopes"] as unknown[]).map(String) : [];
  const crmName = useWorkspaceCrm().displayName;
  return (
    <Alert color="red" variant="light" title={missing.length ? `${crmName} did not grant crmsync write access to contacts` : title} icon={<IconAlertCircle aria-hidden />} role="alert">
      <Text size="sm">{errorMessage(error)}</Text>
      {missing.length > 0 && (
        <Group gap={4} mt={6}>
          <Text size="xs">Missing scope:</Text>
          {missing.map((scope) => (
            <Code key={scope}>{scope}</Code>
          ))}
          <Text size="xs">Disconnect above and connect again, approving it; or keep contact sync inbound.</Text>
        </Group>
      )}
    </Alert>
  );
}
