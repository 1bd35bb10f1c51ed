import { Anchor, Button, Group, Stack, Text } from "@mantine/core";
import { modals } from "@mantine/modals";
import { notifications } from "@mantine/notifications";
import { IconArrowLeft, IconTrash } from "@tabler/icons-react";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { errorMessage, isApiError } from "../../api/client.ts";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { useCustomer, useDeleteCustomer } from "../../api/customers.ts";
import { useFields } from "../../api/fields.ts";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorAlert } from "../../components/ErrorAlert.tsx";
import { LoadingBlock } from "../../components/Loading.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { paths } from "../../paths.ts";
import { LinkToCrmModal } from "../customers/LinkToCrmModal.tsx";
import { CustomerForm } from "./CustomerForm.tsx";
import { CustomerLinkCard } from "./CustomerLinkCard.tsx";
import { IconBuilding } from "@tabler/icons-react";

export function CustomerDetailScreen() {
  const { id = "" } = useParams();
  const customer = useCustomer(id);
  const fields = useFields();
  const remove = useDeleteCustomer();
  const navigate = useNavigate();
  const [linking, setLinking] = useState(false);
  const crmName = useWorkspaceCrm().displayName;

  const back = (
    <Anchor component={Link} to={paths.customers} size="sm">
      <Group gap={4}>
        <IconArrowLeft size={14} aria-hidden /> All customers
      </Group>
    </Anchor>
  );

  if (customer.isError) {
    return (
      <Stack>
        {back}
        {isApiError(customer.error, 404) ? (
          <EmptyState icon={<IconBuilding size={24} />} title="Customer not found">
            It may have been deleted.
          </EmptyState>
        ) : (
          <ErrorAlert error={customer.error} title="The customer could not be loaded" onRetry={() => void customer.refetch()} />
        )}
      </Stack>
    );
  }
  if (customer.isPending || fields.isPending) return <LoadingBlock />;
  if (fields.isError) return <ErrorAlert error={fields.error} title="The custom fields could not be loaded" />;

  const data = customer.data;
  const confirmDelete = () =>
    modals.openConfirmModal({
      title: `Delete ${data.name}?`,
      children: <Text size="sm">The customer and its field values are deleted from crmsync. Nothing is deleted in {crmName}.</Text>,
      labels: { confirm: "Delete customer", cancel: "Cancel" },
      confirmProps: { color: "red" },
      onConfirm: () =>
        remove.mutate(data.id, {
          onSuccess: () => {
            notifications.show({ color: "green", title: "Customer deleted", message: `${data.name} was deleted.` });
            void navigate(paths.customers);
          },
          onError: (error) => notifications.show({ color: "red", title: "The customer was not deleted", message: errorMessage(error) }),
        }),
    });

  return (
    <Stack gap="md">
      {back}
      <PageHeader
        title={data.name}
        description={data.domains.length ? data.domains.join(", ") : "No domain"}
        actions={
          <Button variant="subtle" color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={confirmDelete}>
            Delete customer
          </Button>
        }
      />
      <CustomerLinkCard customer={data} onLink={() => setLinking(true)} />
      {/* Keyed by updatedAt so a save elsewhere (a sync, a link) refreshes the drafts. */}
      <CustomerForm key={data.updatedAt + fields.data.length} customer={data} fields={fields.data} />
      {linking && <LinkToCrmModal customer={data} onClose={() => setLinking(false)} />}
    </Stack>
  );
}
