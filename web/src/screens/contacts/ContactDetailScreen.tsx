import { Alert, Anchor, Button, Group, Paper, SimpleGrid, Stack, TagsInput, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAddressBook, IconArrowLeft } from "@tabler/icons-react";
import { useState, type FormEvent, type ReactNode } from "react";
import { Link, useParams } from "react-router";
import { errorMessage, isApiError } from "../../api/client.ts";
import { useContact, useUpdateContact, type ContactInput } from "../../api/contacts.ts";
import { syncedContactFields, useContactSync } from "../../api/contact-sync.ts";
import type { Contact } from "../../api/types.ts";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorAlert } from "../../components/ErrorAlert.tsx";
import { CrmMark } from "../../crm/CrmMark.tsx";
import { LoadingBlock } from "../../components/Loading.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { paths } from "../../paths.ts";
import { EditInCrmLink } from "./EditInCrmLink.tsx";
import { LastSyncedBanner } from "./LastSyncedBanner.tsx";

type ContactField = "name" | "firstName" | "lastName" | "emails" | "phones";

interface FormProps {
  contact: Contact;
  /** The workspace CRM's display name (HubSpot). */
  crmName: string;
  /** The fields contact sync maps from the CRM now; only those get the mark and the link. */
  syncedFields: ReadonlySet<ContactField>;
}

function ContactForm({ contact, crmName, syncedFields }: FormProps) {
  const { lifecycleStages } = useWorkspaceCrm().wording;
  const update = useUpdateContact(contact.id);
  const [firstName, setFirstName] = useState(contact.firstName ?? "");
  const [lastName, setLastName] = useState(contact.lastName ?? "");
  const [name, setName] = useState(contact.name);
  const [emails, setEmails] = useState(contact.emails);
  const [phones, setPhones] = useState(contact.phones);
  const [tags, setTags] = useState(contact.tags);
  const synced = contact.externalId !== null;

  const label = (text: string, field: ContactField): ReactNode =>
    synced && syncedFields.has(field) ? (
      <Group gap={6} component="span" wrap="nowrap">
        {text}
        <CrmMark />
        {contact.externalUrl && <EditInCrmLink url={contact.externalUrl} crmName={crmName} field={text} />}
      </Group>
    ) : (
      text
    );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const patch: ContactInput = {};
    if (name !== contact.name) patch.name = name;
    if (firstName !== (contact.firstName ?? "")) patch.firstName = firstName || null;
    if (lastName !== (contact.lastName ?? "")) patch.lastName = lastName || null;
    if (emails.join() !== contact.emails.join()) patch.emails = emails;
    if (phones.join() !== contact.phones.join()) patch.phones = phones;
    if (tags.join() !== contact.tags.join()) patch.tags = tags;
    update.mutate(patch, { onSuccess: (saved) => notifications.show({ color: "green", title: "Saved", message: `${saved.name || "The contact"} was updated.` }) });
  };

  return (
    <form onSubmit={submit} aria-label="Contact details">
      <Stack>
        {update.isError && (
          <Alert color="red" variant="light" role="alert">
            {errorMessage(update.error)}
          </Alert>
        )}
        <Paper withBorder p="md" radius="md">
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <TextInput label={label("First name", "firstName")} value={firstName} onChange={(e) => setFirstName(e.currentTarget.value)} />
            <TextInput label={label("Last name", "lastName")} value={lastName} onChange={(e) => setLastName(e.currentTarget.value)} />
            <TextInput label={label("Display name", "name")} value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <TagsInput label={label("Emails", "emails")} value={emails} onChange={setEmails} splitChars={[",", " "]} acceptValueOnBlur />
            <TagsInput label={label("Phones", "phones")} description="International format, e.g. +1 415 555 0100" value={phones} onChange={setPhones} splitChars={[","]} acceptValueOnBlur />
            <TagsInput label="Tags" description={synced && lifecycleStages ? `The ${crmName} lifecycle stage arrives as a tag (lifecycle:<stage>).` : undefined} value={tags} onChange={setTags} acceptValueOnBlur />
          </SimpleGrid>
        </Paper>
        <Group justify="flex-end">
          <Button type="submit" loading={update.isPending}>
            Save changes
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function ContactDetailScreen() {
  const { id = "" } = useParams();
  const contact = useContact(id);
  const crmName = useWorkspaceCrm().displayName;
  const syncedFields = syncedContactFields(useContactSync().data);
  const back = (
    <Anchor component={Link} to={paths.contacts} size="sm">
      <Group gap={4}>
        <IconArrowLeft size={14} aria-hidden /> All contacts
      </Group>
    </Anchor>
  );
  if (contact.isError) {
    return (
      <Stack>
        {back}
        {isApiError(contact.error, 404) ? (
          <EmptyState icon={<IconAddressBook size={24} />} title="Contact not found">
            It may have been deleted or merged into another contact.
          </EmptyState>
        ) : (
          <ErrorAlert error={contact.error} title="The contact could not be loaded" onRetry={() => void contact.refetch()} />
        )}
      </Stack>
    );
  }
  if (contact.isPending) return <LoadingBlock />;
  const data = contact.data;
  return (
    <Stack gap="md">
      {back}
      <PageHeader title={data.name || data.emails[0] || "(no name)"} description={data.emails.join(", ") || undefined} />
      {data.externalId && <LastSyncedBanner contact={data} crmName={crmName} />}
      <ContactForm key={data.updatedAt} contact={data} crmName={crmName} syncedFields={syncedFields} />
    </Stack>
  );
}
