import { Alert, Button, Group, Modal, NativeSelect, Stack, TagsInput, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState, type FormEvent } from "react";
import { errorMessage } from "../../api/client.ts";
import { useCreateField } from "../../api/fields.ts";
import { fieldTypes, type FieldType } from "../../api/types.ts";
import { fieldTypeLabels } from "../../components/format.ts";

interface Props {
  opened: boolean;
  onClose: () => void;
}

const withOptions = (type: FieldType) => type === "select" || type === "multi_select";

export function CreateFieldModal({ opened, onClose }: Props) {
  const create = useCreateField();
  const [label, setLabel] = useState("");
  const [type, setType] = useState<FieldType>("text");
  const [options, setOptions] = useState<string[]>([]);

  const close = () => {
    setLabel("");
    setType("text");
    setOptions([]);
    create.reset();
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { label, type, ...(withOptions(type) ? { options: options.map((o) => ({ value: o, label: o })) } : {}) },
      {
        onSuccess: (field) => {
          notifications.show({ color: "green", title: "Field created", message: `“${field.label}” can now be filled on every customer.` });
          close();
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={close} title="New custom field">
      <form onSubmit={submit}>
        <Stack>
          {create.isError && (
            <Alert color="red" variant="light" role="alert">
              {errorMessage(create.error)}
            </Alert>
          )}
          <TextInput label="Label" required data-autofocus value={label} onChange={(e) => setLabel(e.currentTarget.value)} />
          <NativeSelect
            label="Type"
            description="A field's type cannot change later."
            data={fieldTypes.map((t) => ({ value: t, label: fieldTypeLabels[t] }))}
            value={type}
            onChange={(e) => setType(e.currentTarget.value as FieldType)}
          />
          {withOptions(type) && (
            <TagsInput label="Options" description="Press Enter after each option." required value={options} onChange={setOptions} acceptValueOnBlur />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} disabled={withOptions(type) && options.length === 0}>
              Create field
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
