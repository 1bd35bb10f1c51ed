import { Stack } from "@mantine/core";
import { useSession } from "../../api/session.ts";
import { PageHeader } from "../../components/PageHeader.tsx";
import { ApiTokensSection } from "./ApiTokensSection.tsx";
import { SessionsSection } from "./SessionsSection.tsx";

/**
 * Settings › Security: admins manage the workspace's API tokens and everyone's sign-in sessions;
 * a member sees where they are signed in and can sign other devices out.
 */
export function SecurityScreen() {
  const session = useSession().data;
  if (!session) return null;
  const admin = session.role === "admin";
  return (
    <Stack gap="xl">
      <PageHeader
        title="Security"
        description={admin ? "API tokens and sign-in sessions of the workspace. Revoking one takes effect at once." : "Where you are signed in. Signing a session out takes effect at once."}
      />
      {admin && <ApiTokensSection />}
      {(admin || session.user) && <SessionsSection wholeWorkspace={admin} />}
    </Stack>
  );
}
