import { Anchor, Group, Table, Text } from "@mantine/core";
import { Link } from "react-router";
import type { Contact } from "../../api/types.ts";
import { CrmMark } from "../../crm/CrmMark.tsx";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { formatRelative } from "../../components/format.ts";
import { paths } from "../../paths.ts";
import { ContactTags } from "./ContactTags.tsx";

interface Props {
  contacts: Contact[];
  onTag: (tag: string) => void;
}

export function ContactsTable({ contacts, onTag }: Props) {
  const crmName = useWorkspaceCrm().displayName;
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped highlightOnHover verticalSpacing="xs" aria-label="Contacts">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Emails</Table.Th>
            <Table.Th>Phones</Table.Th>
            <Table.Th>Tags</Table.Th>
            <Table.Th>{crmName}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {contacts.map((contact) => (
            <Table.Tr key={contact.id}>
              <Table.Td>
                <Anchor component={Link} to={paths.contact(contact.id)} fw={500}>
                  {contact.name || contact.emails[0] || contact.phones[0] || "(no name)"}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{contact.emails.join(", ") || "—"}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" className="nowrap">
                  {contact.phones.join(", ") || "—"}
                </Text>
              </Table.Td>
              <Table.Td>
                <ContactTags tags={contact.tags} onTag={onTag} />
              </Table.Td>
              <Table.Td>
                {contact.externalId ? (
                  <Group gap={4} wrap="nowrap">
                    <CrmMark />
                    <Text size="xs" c="dimmed" className="nowrap">
                      synced {formatRelative(contact.lastSyncedAt)}
                    </Text>
                  </Group>
                ) : (
                  <Text size="xs" c="dimmed">
                    —
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
