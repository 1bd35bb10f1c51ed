import { Badge, Button, Group, Stack, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { modals } from "@mantine/modals";
import { notifications } from "@mantine/notifications";
import { IconKey, IconPlus } from "@tabler/icons-react";
import { errorMessage } from "../../api/client.ts";
import { useApiTokens, useRevokeApiToken } from "../../api/credentials.ts";
import type { ApiToken } from "../../api/types.ts";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorAlert } from "../../components/ErrorAlert.tsx";
import { TableSkeleton } from "../../components/Loading.tsx";
import { formatDateTime, formatRelative } from "../../components/format.ts";
import { CreateApiTokenModal } from "./CreateApiTokenModal.tsx";
import { CredentialList, CredentialRow } from "./CredentialList.tsx";

/** The workspace's API tokens (admins only): who made each, when it was last used, revoke, create. */
export function ApiTokensSection() {
  const tokens = useApiTokens(true);
  const revoke = useRevokeApiToken();
  const [creating, { open, close }] = useDisclosure(false);

  const confirmRevoke = (token: ApiToken) =>
    modals.openConfirmModal({
      title: `Revoke API token “${token.name}”?`,
      children: <Text size="sm">Every script or service using it is refused from now on. This cannot be undone; create a new token to give access again.</Text>,
      labels: { confirm: "Revoke token", cancel: "Cancel" },
      confirmProps: { color: "red" },
      onConfirm: () =>
        revoke.mutate(token, {
          onSuccess: () => notifications.show({ color: "green", title: "Token revoked", message: `“${token.name}” no longer works.` }),
          onError: (error) => notifications.show({ color: "red", title: "The token was not revoked", message: errorMessage(error) }),
        }),
    });

  return (
    <Stack gap="sm" component="section" aria-labelledby="tokens-heading">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <Stack gap={2}>
          <Title order={3} id="tokens-heading">
            API tokens
          </Title>
          <Text size="sm" c="dimmed">
            Scripts and services call the API with these.
          </Text>
        </Stack>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={open}>
          New API token
        </Button>
      </Group>
      {tokens.isError && <ErrorAlert error={tokens.error} title="The API tokens could not be loaded" onRetry={() => void tokens.refetch()} />}
      {tokens.isPending ? (
        <TableSkeleton rows={2} />
      ) : tokens.data && tokens.data.length > 0 ? (
        <CredentialList label="API tokens">
          {tokens.data.map((token) => (
            <CredentialRow
              key={token.id}
              title={token.name}
              badges={
                <Badge variant="light" color={token.role === "admin" ? "grape" : "gray"}>
                  {token.role === "admin" ? "Admin" : "Member"}
                </Badge>
              }
              details={[
                `Created ${formatDateTime(token.createdAt)} by ${token.createdBy ? token.createdBy.name || token.createdBy.email : "the command line"}`,
                token.lastUsedAt ? `Last used ${formatRelative(token.lastUsedAt)}` : "Never used",
              ]}
              action={
                <Button variant="light" color="red" size="xs" onClick={() => confirmRevoke(token)} aria-label={`Revoke ${token.name}`}>
                  Revoke
                </Button>
              }
            />
          ))}
        </CredentialList>
      ) : (
        !tokens.isError && (
          <EmptyState icon={<IconKey size={24} />} title="No API tokens yet">
            Create one for each script or service that calls the API, so each can be revoked on its own.
          </EmptyState>
        )
      )}
      <CreateApiTokenModal opened={creating} onClose={close} />
    </Stack>
  );
}
