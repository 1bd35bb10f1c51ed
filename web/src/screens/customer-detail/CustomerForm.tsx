import { Alert, Button, Group, Paper, SimpleGrid, Stack, TagsInput, Text, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState, type FormEvent } from "react";
import { errorMessage } from "../../api/client.ts";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { useUpdateCustomer } from "../../api/customers.ts";
import type { Customer, CustomField, FieldValue } from "../../api/types.ts";
import { EditableFieldInput } from "./EditableFieldInput.tsx";
import { fromDraft, sameDraft, toDraft, type Draft } from "./fieldDraft.ts";
import { SyncedFieldValue } from "./SyncedFieldValue.tsx";

interface Props {
  customer: Customer;
  fields: CustomField[];
}

function initialDrafts(customer: Customer, fields: CustomField[]): Record<string, Draft> {
  return Object.fromEntries(fields.filter((f) => !f.syncMapping).map((f) => [f.key, toDraft(f, customer.fields[f.key])]));
}

/** Name, domains and every field; synced fields are shown locked, the rest are editable. */
export function CustomerForm({ customer, fields }: Props) {
  const update = useUpdateCustomer(customer.id);
  const [name, setName] = useState(customer.name);
  const [domains, setDomains] = useState(customer.domains);
  const [drafts, setDrafts] = useState(() => initialDrafts(customer, fields));
  const [localError, setLocalError] = useState<string | null>(null);
  const crmName = useWorkspaceCrm().displayName;
  const baseline = initialDrafts(customer, fields);
  const editable = fields.filter((f) => !f.syncMapping);
  const synced = fields.filter((f) => f.syncMapping);

  const changedFields = editable.filter((f) => !sameDraft(drafts[f.key] ?? "", baseline[f.key] ?? ""));
  const domainsChanged = domains.join("\n") !== customer.domains.join("\n");
  const dirty = name !== customer.name || domainsChanged || changedFields.length > 0;

  const reset = () => {
    setName(customer.name);
    setDomains(customer.domains);
    setDrafts(initialDrafts(customer, fields));
    setLocalError(null);
    update.reset();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setLocalError(null);
    let values: Record<string, FieldValue>;
    try {
      values = Object.fromEntries(changedFields.map((f) => [f.key, fromDraft(f, drafts[f.key] ?? "")]));
    } catch (error) {
      setLocalError(errorMessage(error));
      return;
    }
    update.mutate(
      {
        ...(name !== customer.name ? { name } : {}),
        ...(domainsChanged ? { domains } : {}),
        ...(changedFields.length ? { fields: values } : {}),
      },
      {
        onSuccess: (saved) => {
          setName(saved.name);
          setDomains(saved.domains);
          setDrafts(initialDrafts(saved, fields));
          notifications.show({ color: "green", title: "Saved", message: `${saved.name} was updated.` });
        },
      },
    );
  };

  const error = localError ?? (update.isError ? errorMessage(update.error) : null);
  return (
    <form onSubmit={submit} aria-label="Customer details">
      <Stack>
        {error && (
          <Alert color="red" variant="light" role="alert">
            {error}
          </Alert>
        )}
        <Paper withBorder p="md" radius="md">
          <Title order={4} mb="sm">
            Details
          </Title>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <TagsInput
              label="Domains"
              description={`Removing a domain resets the ${crmName} link; it is matched again at the next run.`}
              value={domains}
              onChange={setDomains}
              splitChars={[",", " "]}
              acceptValueOnBlur
            />
          </SimpleGrid>
        </Paper>
        <Paper withBorder p="md" radius="md">
          <Title order={4} mb="sm">
            Fields
          </Title>
          {fields.length === 0 ? (
            <Text size="sm" c="dimmed">
              No custom fields yet. Create or import them under Customers › Custom Fields.
            </Text>
          ) : (
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" verticalSpacing="sm">
              {synced.map((field) => (
                <SyncedFieldValue key={field.id} field={field} value={customer.fields[field.key]} />
              ))}
              {editable.map((field) => (
                <EditableFieldInput key={field.id} field={field} value={drafts[field.key] ?? ""} onChange={(value) => setDrafts((d) => ({ ...d, [field.key]: value }))} />
              ))}
            </SimpleGrid>
          )}
        </Paper>
        <Group justify="flex-end">
          <Button variant="default" onClick={reset} disabled={!dirty || update.isPending}>
            Discard changes
          </Button>
          <Button type="submit" disabled={!dirty} loading={update.isPending}>
            Save changes
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
