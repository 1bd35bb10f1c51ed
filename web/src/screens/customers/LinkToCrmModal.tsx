import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { errorMessage } from "../../api/client.ts";
import { useFields } from "../../api/fields.ts";
import { useLinkCustomer, useUnlinkCustomer } from "../../api/crm-links.ts";
import type { Customer } from "../../api/types.ts";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { CompanyPicker } from "./CompanyPicker.tsx";
import { DealPicker } from "./DealPicker.tsx";
import { LinkedValues } from "./LinkedValues.tsx";

interface Props {
  customer: Customer;
  onClose: () => void;
}

/** "Link to <CRM>" (product spec §3.1 Manual): choose a company, maybe a deal, Save & Sync. */
export function LinkToCrmModal({ customer, onClose }: Props) {
  const [companyId, setCompanyId] = useState<string | null>(customer.crmLink?.companyId ?? null);
  const [companyName, setCompanyName] = useState<string>("");
  // undefined until someone picks: the server then takes the company's most recent deal.
  const [dealId, setDealId] = useState<string | null | undefined>(customer.crmLink ? customer.crmLink.dealId : undefined);
  const [linked, setLinked] = useState<Customer | null>(null);
  const link = useLinkCustomer(customer.id);
  const unlink = useUnlinkCustomer(customer.id);
  const fields = useFields();
  const crm = useWorkspaceCrm();
  const name = crm.displayName;
  const { company, deal } = crm.wording;

  const save = () => {
    if (!companyId) return;
    link.mutate(
      dealId === undefined ? { companyId } : { companyId, dealId },
      {
        onSuccess: (updated) => {
          setLinked(updated);
          notifications.show({ color: "green", title: `Linked to ${name}`, message: `${customer.name} is linked to ${companyName || `${company.one} ${companyId}`}.` });
        },
      },
    );
  };

  const remove = () =>
    unlink.mutate(undefined, {
      onSuccess: () => {
        notifications.show({ color: "gray", title: "Link removed", message: `${customer.name} is no longer linked; the next run tries to match it again.` });
        onClose();
      },
    });

  const error = link.error ?? unlink.error;
  return (
    <Modal opened onClose={onClose} title={`Link to ${name}`} size="lg">
      {linked ? (
        <Stack>
          <Text size="sm">
            <b>{linked.name}</b> is linked to {companyName || `${company.one} ${companyId}`}
            {linked.crmLink?.dealId ? ` and ${deal.one} ${linked.crmLink.dealId}` : `, with no ${deal.one}`}. Its {name} values:
          </Text>
          <LinkedValues customer={linked} fields={fields.data ?? []} />
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <Stack>
          <Text size="sm" c="dimmed">
            Choose the {name} {company.one} for <b>{customer.name}</b>. The link is kept by every later sync; its values are imported as soon as you save.
          </Text>
          {error && (
            <Alert color="red" variant="light" role="alert">
              {errorMessage(error)}
            </Alert>
          )}
          <CompanyPicker
            initialQuery={customer.domains[0] ?? customer.name}
            value={companyId}
            onChange={(id, name) => {
              setCompanyId(id);
              setCompanyName(name);
              setDealId(undefined);
            }}
          />
          {companyId && <DealPicker companyId={companyId} value={dealId} onChange={setDealId} />}
          <Group justify="space-between">
            <div>
              {customer.crmLink && (
                <Button variant="subtle" color="red" onClick={remove} loading={unlink.isPending}>
                  Remove link
                </Button>
              )}
            </div>
            <Group gap="sm">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button onClick={save} disabled={!companyId} loading={link.isPending}>
                Save & Sync
              </Button>
            </Group>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
