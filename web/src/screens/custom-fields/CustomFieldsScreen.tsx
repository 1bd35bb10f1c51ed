import { Button, Paper, Stack, Tooltip } from "@mantine/core";
import { IconCloudDownload, IconForms, IconPlus } from "@tabler/icons-react";
import { useState } from "react";
import { useFields } from "../../api/fields.ts";
import { useConnection } from "../../api/crm.ts";
import { useSession } from "../../api/session.ts";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorAlert } from "../../components/ErrorAlert.tsx";
import { TableSkeleton } from "../../components/Loading.tsx";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { CustomersHeader } from "../customers/CustomersHeader.tsx";
import { CreateFieldModal } from "./CreateFieldModal.tsx";
import { FieldsTable } from "./FieldsTable.tsx";
import { ImportFromCrmModal } from "./ImportFromCrmModal.tsx";

function importBlocker(connection: ReturnType<typeof useConnection>["data"], name: string, admin: boolean): string | null {
  if (!admin) return "Only admins can import fields.";
  if (connection === null) return `Importing from ${name} is not available on this server yet.`;
  if (connection && connection.status !== "connected") return `Connect ${name} in Integrations first.`;
  return null;
}

export function CustomFieldsScreen() {
  const fields = useFields();
  const connection = useConnection();
  const admin = useSession().data?.role === "admin";
  const crmName = useWorkspaceCrm().displayName;
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const blocked = importBlocker(connection.data, crmName, admin);

  const importButton = (
    <Button variant="default" leftSection={<IconCloudDownload size={16} aria-hidden />} onClick={() => setImporting(true)} disabled={blocked !== null || connection.isPending}>
      Import from CRM
    </Button>
  );

  return (
    <Stack gap={0}>
      <CustomersHeader
        actions={
          <>
            {blocked ? (
              <Tooltip label={blocked}>
                <span>{importButton}</span>
              </Tooltip>
            ) : (
              importButton
            )}
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)} disabled={!admin}>
              New field
            </Button>
          </>
        }
      />
      {fields.isError ? (
        <ErrorAlert error={fields.error} title="The custom fields could not be loaded" onRetry={() => void fields.refetch()} />
      ) : fields.isPending ? (
        <TableSkeleton />
      ) : fields.data.length === 0 ? (
        <EmptyState icon={<IconForms size={24} />} title="No custom fields yet">
          Create fields such as ARR or Industry, or import them from {crmName} so their values stay in sync.
        </EmptyState>
      ) : (
        <Paper withBorder radius="md">
          <FieldsTable fields={fields.data} canEdit={admin} />
        </Paper>
      )}
      <CreateFieldModal opened={creating} onClose={() => setCreating(false)} />
      <ImportFromCrmModal opened={importing} onClose={() => setImporting(false)} />
    </Stack>
  );
}
