import { Alert, Button, Group, Modal, Stack, TagsInput, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState, type FormEvent } from "react";
import { errorMessage } from "../../api/client.ts";
import { useCreateCustomer } from "../../api/customers.ts";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";

interface Props {
  opened: boolean;
  onClose: () => void;
}

export function AddCustomerModal({ opened, onClose }: Props) {
  const create = useCreateCustomer();
  const crmName = useWorkspaceCrm().displayName;
  const [name, setName] = useState("");
  const [domains, setDomains] = useState<string[]>([]);

  const close = () => {
    setName("");
    setDomains([]);
    create.reset();
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { name, domains },
      {
        onSuccess: (customer) => {
          notifications.show({ color: "green", title: "Customer added", message: `${customer.name} was added.` });
          close();
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={close} title="Add new customer">
      <form onSubmit={submit}>
        <Stack>
          {create.isError && (
            <Alert color="red" variant="light" role="alert">
              {errorMessage(create.error)}
            </Alert>
          )}
          <TextInput label="Name" required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <TagsInput
            label="Domains"
            description={`Press Enter after each domain. ${crmName} companies are matched by domain.`}
            placeholder="acme.com"
            value={domains}
            onChange={setDomains}
            splitChars={[",", " "]}
            acceptValueOnBlur
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Add customer
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
