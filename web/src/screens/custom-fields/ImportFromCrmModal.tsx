import { Alert, Button, Group, Modal, ScrollArea, Stack, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconSearch } from "@tabler/icons-react";
import { useMemo, useState } from "react";
import { errorMessage } from "../../api/client.ts";
import { useImportableFields, useImportFields } from "../../api/account-sync.ts";
import type { CrmObject, ImportableProperty } from "../../api/types.ts";
import { ErrorAlert } from "../../components/ErrorAlert.tsx";
import { TableSkeleton } from "../../components/Loading.tsx";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { capitalized } from "../../crm/wording.ts";
import { ImportGroup, selectionKey } from "./ImportGroup.tsx";

interface Props {
  opened: boolean;
  onClose: () => void;
}

function matches(property: ImportableProperty, search: string): boolean {
  if (!search) return true;
  const text = search.toLowerCase();
  return property.label.toLowerCase().includes(text) || property.name.toLowerCase().includes(text) || (property.groupName ?? "").toLowerCase().includes(text);
}

/** "Import from <CRM>" (product spec §3.3): pick company and deal properties to become synced fields. */
export function ImportFromCrmModal({ opened, onClose }: Props) {
  const importable = useImportableFields(opened);
  const importFields = useImportFields();
  const crm = useWorkspaceCrm();
  const name = crm.displayName;
  const { company, deal } = crm.wording;
  const [search, setSearch] = useState("");
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());

  const groups = useMemo(() => {
    const data = importable.data;
    return {
      company: (data?.company ?? []).filter((p) => matches(p, search.trim())),
      deal: (data?.deal ?? []).filter((p) => matches(p, search.trim())),
    };
  }, [importable.data, search]);

  const close = () => {
    setSearch("");
    setSelected(new Set());
    importFields.reset();
    onClose();
  };

  const change = (object: CrmObject) => (names: string[], checked: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      for (const name of names) {
        if (checked) next.add(selectionKey(object, name));
        else next.delete(selectionKey(object, name));
      }
      return next;
    });

  const submit = () => {
    const properties = [...selected].map((key) => {
      const at = key.indexOf(":");
      return { object: key.slice(0, at) as CrmObject, name: key.slice(at + 1) };
    });
    importFields.mutate(properties, {
      onSuccess: ({ fields }) => {
        notifications.show({
          color: "green",
          title: `${fields.length} ${fields.length === 1 ? "field" : "fields"} imported`,
          message: "A full sync started; values appear on customers as it runs.",
        });
        close();
      },
    });
  };

  return (
    <Modal opened={opened} onClose={close} title={`Import from ${name}`} size="xl">
      <Stack>
        <Text size="sm" c="dimmed">
          Each property becomes a custom field synced from {name} (read-only here). Options are copied once, at import.
        </Text>
        <TextInput
          aria-label={`Search ${name} properties`}
          placeholder="Search by label or internal name"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          data-autofocus
        />
        {importFields.isError && (
          <Alert color="red" variant="light" role="alert">
            {errorMessage(importFields.error)}
          </Alert>
        )}
        {importable.isError ? (
          <ErrorAlert error={importable.error} title={`${name} properties could not be loaded`} onRetry={() => void importable.refetch()} />
        ) : importable.isPending ? (
          <TableSkeleton rows={8} />
        ) : (
          <ScrollArea.Autosize mah="55vh" type="auto" offsetScrollbars>
            <Stack>
              <ImportGroup object="company" title={`${capitalized(company.one)} fields`} properties={groups.company} selected={selected} onChange={change("company")} />
              <ImportGroup object="deal" title={`${capitalized(deal.one)} fields`} properties={groups.deal} selected={selected} onChange={change("deal")} />
            </Stack>
          </ScrollArea.Autosize>
        )}
        <Group justify="space-between">
          <Text size="sm" c="dimmed" aria-live="polite">
            {selected.size} selected
          </Text>
          <Group gap="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button onClick={submit} disabled={selected.size === 0} loading={importFields.isPending}>
              Import Fields
            </Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}
