import { Badge, Button, Stack, Text, Title } from "@mantine/core";
import { modals } from "@mantine/modals";
import { notifications } from "@mantine/notifications";
import { IconDevices } from "@tabler/icons-react";
import { errorMessage } from "../../api/client.ts";
import { useRevokeSignInSession, useSignInSessions } from "../../api/credentials.ts";
import type { SignInSession } from "../../api/types.ts";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorAlert } from "../../components/ErrorAlert.tsx";
import { TableSkeleton } from "../../components/Loading.tsx";
import { formatDateTime, formatRelative } from "../../components/format.ts";
import { CredentialList, CredentialRow } from "./CredentialList.tsx";
import { describeUserAgent } from "./userAgent.ts";

function sessionTitle(session: SignInSession, showOwner: boolean): string {
  const browser = describeUserAgent(session.userAgent);
  return showOwner ? `${session.user.name || session.user.email} · ${browser}` : browser;
}

/** Where people are signed in: every session of the workspace for admins, a member's own otherwise. */
export function SessionsSection({ wholeWorkspace }: { wholeWorkspace: boolean }) {
  const sessions = useSignInSessions(true);
  const revoke = useRevokeSignInSession();

  const confirmRevoke = (session: SignInSession) => {
    const title = sessionTitle(session, wholeWorkspace);
    modals.openConfirmModal({
      title: "Sign out this session?",
      children: (
        <Text size="sm">
          {title} is signed out at once and has to sign in again. Last active {formatRelative(session.lastSeenAt)}.
        </Text>
      ),
      labels: { confirm: "Sign out session", cancel: "Cancel" },
      confirmProps: { color: "red" },
      onConfirm: () =>
        revoke.mutate(session, {
          onSuccess: () => notifications.show({ color: "green", title: "Session signed out", message: `${title} is signed out.` }),
          onError: (error) => notifications.show({ color: "red", title: "The session was not signed out", message: errorMessage(error) }),
        }),
    });
  };

  return (
    <Stack gap="sm" component="section" aria-labelledby="sessions-heading">
      <Stack gap={2}>
        <Title order={3} id="sessions-heading">
          Sign-in sessions
        </Title>
        <Text size="sm" c="dimmed">
          {wholeWorkspace ? "Everyone in the workspace who is signed in, and where." : "Where you are signed in."} A session ends by itself after a while without use.
        </Text>
      </Stack>
      {sessions.isError && <ErrorAlert error={sessions.error} title="The sessions could not be loaded" onRetry={() => void sessions.refetch()} />}
      {sessions.isPending ? (
        <TableSkeleton rows={2} />
      ) : sessions.data && sessions.data.length > 0 ? (
        <CredentialList label="Sign-in sessions">
          {sessions.data.map((session) => {
            const title = sessionTitle(session, wholeWorkspace);
            return (
              <CredentialRow
                key={session.id}
                title={title}
                badges={session.current && <Badge variant="light">This device</Badge>}
                details={[
                  `Last active ${formatRelative(session.lastSeenAt)} · signed in ${formatDateTime(session.createdAt)}`,
                  ...(wholeWorkspace ? [session.user.email] : []),
                  ...(session.userAgent ? [session.userAgent] : []),
                ]}
                action={
                  session.current ? (
                    <Text size="xs" c="dimmed">
                      Use Sign out in the account menu
                    </Text>
                  ) : (
                    <Button variant="light" color="red" size="xs" onClick={() => confirmRevoke(session)} aria-label={`Sign out ${title}`}>
                      Sign out
                    </Button>
                  )
                }
              />
            );
          })}
        </CredentialList>
      ) : (
        !sessions.isError && (
          <EmptyState icon={<IconDevices size={24} />} title="No one is signed in">
            Sessions started with email and password show here.
          </EmptyState>
        )
      )}
    </Stack>
  );
}
