import { Alert, Button, CopyButton, Group, Modal, NativeSelect, Stack, Text, TextInput } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { errorMessage } from "../../api/client.ts";
import { useCreateApiToken } from "../../api/credentials.ts";
import type { CreatedApiToken, Role } from "../../api/types.ts";

interface Props {
  opened: boolean;
  onClose: () => void;
}

/** Asks for a name and role, then shows the new token's secret: the only time anyone sees it. */
export function CreateApiTokenModal({ opened, onClose }: Props) {
  const create = useCreateApiToken();
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("member");
  const [created, setCreated] = useState<CreatedApiToken | null>(null);

  const close = () => {
    setName("");
    setRole("member");
    setCreated(null);
    create.reset();
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name, role }, { onSuccess: setCreated });
  };

  return (
    <Modal opened={opened} onClose={close} title={created ? `API token “${created.token.name}” created` : "New API token"}>
      {created ? (
        <Stack>
          <Alert color="yellow" variant="light" title="Copy it now" styles={{ title: { color: "var(--mantine-color-text)" } }}>
            This is the only time the token is shown; crmsync keeps only a hash of it. Scripts send it as <code>Authorization: Bearer …</code>.
          </Alert>
          <TextInput label="New token" readOnly value={created.secret} data-autofocus onFocus={(e) => e.currentTarget.select()} styles={{ input: { fontFamily: "monospace" } }} />
          <Group justify="flex-end">
            <CopyButton value={created.secret}>{({ copied, copy }) => <Button variant="light" onClick={copy}>{copied ? "Copied" : "Copy token"}</Button>}</CopyButton>
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            {create.isError && (
              <Alert color="red" variant="light" role="alert">
                {errorMessage(create.error)}
              </Alert>
            )}
            <TextInput label="Name" description="What uses it, e.g. “nightly export”." required maxLength={100} data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <NativeSelect
              label="Role"
              description="An admin token can change settings, connect HubSpot and manage tokens."
              data={[
                { value: "member", label: "Member" },
                { value: "admin", label: "Admin" },
              ]}
              value={role}
              onChange={(e) => setRole(e.currentTarget.value as Role)}
            />
            <Text size="xs" c="dimmed">
              A token works until it is revoked here.
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending} disabled={name.trim() === ""}>
                Create token
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
