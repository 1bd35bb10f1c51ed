import { Alert, Button, Group, NumberInput, Paper, Select, Stack, TagsInput, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { getCountries } from "libphonenumber-js/min";
import { useEffect, useMemo, useState } from "react";
import { errorMessage } from "../../api/client.ts";
import { useSession } from "../../api/session.ts";
import type { WorkspaceSettings } from "../../api/types.ts";
import { useSaveWorkspaceSettings, useWorkspaceSettings } from "../../api/workspace-settings.ts";
import { ErrorAlert } from "../../components/ErrorAlert.tsx";
import { LoadingBlock } from "../../components/Loading.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";

/** Countries by their English name, for the default country of phone numbers. */
function countryOptions(): { value: string; label: string }[] {
  const names = new Intl.DisplayNames(["en"], { type: "region" });
  return getCountries()
    .map((code) => ({ value: code, label: `${names.of(code) ?? code} (${code})` }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

interface Draft {
  defaultCountry: string | null;
  allow: string[];
  deny: string[];
  contactLimit: number;
}

const draftOf = (s: WorkspaceSettings): Draft => ({ defaultCountry: s.defaultCountry, allow: s.personalDomains.allow, deny: s.personalDomains.deny, contactLimit: s.contactLimit });
const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Settings › Workspace: how phone numbers without a country code are read, which email domains
 * count as personal (never linked to a company by themselves), and how many contacts the
 * workspace may hold. Everyone reads them; admins change them.
 */
export function WorkspaceSettingsScreen() {
  const session = useSession().data;
  const settings = useWorkspaceSettings();
  const save = useSaveWorkspaceSettings();
  const countries = useMemo(countryOptions, []);
  const [draft, setDraft] = useState<Draft | null>(null);
  useEffect(() => {
    if (settings.data) setDraft(draftOf(settings.data));
  }, [settings.data]);

  if (settings.isError) return <ErrorAlert error={settings.error} title="The workspace settings could not be loaded" onRetry={() => void settings.refetch()} />;
  if (!settings.data || !draft || !session) return <LoadingBlock />;
  const admin = session.role === "admin";
  const saved = draftOf(settings.data);
  const dirty =
    draft.defaultCountry !== saved.defaultCountry || !sameList(draft.allow, saved.allow) || !sameList(draft.deny, saved.deny) || draft.contactLimit !== saved.contactLimit;

  const submit = () =>
    save.mutate(
      { defaultCountry: draft.defaultCountry, personalDomains: { allow: draft.allow, deny: draft.deny }, contactLimit: draft.contactLimit },
      {
        onSuccess: () => notifications.show({ color: "green", title: "Settings saved", message: "The next sync runs use them." }),
        onError: (error) => notifications.show({ color: "red", title: "The settings were not saved", message: errorMessage(error) }),
      },
    );

  return (
    <Stack gap="xl">
      <PageHeader title="Workspace settings" description="How synced data is read in this workspace. Changes apply from the next sync run." />
      {!admin && (
        <Alert color="gray" title="Only admins change these settings">
          You can see them; ask an admin of the workspace to change them.
        </Alert>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <Stack gap="lg">
          <Paper withBorder p="md" component="section" aria-labelledby="phones-heading">
            <Stack gap="sm">
              <Title order={3} id="phones-heading">
                Phone numbers
              </Title>
              <Select
                label="Default country"
                description="Numbers written without a country code (415 555 0122) are read as numbers of this country. Without one, such numbers are reported as unreadable."
                placeholder="None: international numbers only"
                data={countries}
                value={draft.defaultCountry}
                onChange={(value) => setDraft({ ...draft, defaultCountry: value })}
                searchable
                clearable
                disabled={!admin}
                maw={420}
              />
            </Stack>
          </Paper>
          <Paper withBorder p="md" component="section" aria-labelledby="domains-heading">
            <Stack gap="sm">
              <Title order={3} id="domains-heading">
                Personal email domains
              </Title>
              <Text size="sm" c="dimmed">
                Customers whose only domain is a free-mail or personal one (gmail.com, outlook.com and thousands more on the built-in list) are never linked to a
                company by themselves: link them by hand.
              </Text>
              <TagsInput
                label="Also personal"
                description="Domains to treat as personal besides the built-in list, for example your own company's domain."
                placeholder="Type a domain and press Enter"
                value={draft.deny}
                onChange={(deny) => setDraft({ ...draft, deny })}
                disabled={!admin}
                clearable
              />
              <TagsInput
                label="Not personal"
                description="Domains on the built-in list that are a company's in this workspace."
                placeholder="Type a domain and press Enter"
                value={draft.allow}
                onChange={(allow) => setDraft({ ...draft, allow })}
                disabled={!admin}
                clearable
              />
            </Stack>
          </Paper>
          <Paper withBorder p="md" component="section" aria-labelledby="limits-heading">
            <Stack gap="sm">
              <Title order={3} id="limits-heading">
                Limits
              </Title>
              <NumberInput
                label="Contact limit"
                description="Most contacts the workspace may hold. Creating or importing more is refused with a clear error."
                value={draft.contactLimit}
                onChange={(value) => setDraft({ ...draft, contactLimit: typeof value === "number" ? value : draft.contactLimit })}
                min={1}
                max={10_000_000}
                thousandSeparator=","
                allowDecimal={false}
                allowNegative={false}
                disabled={!admin}
                maw={240}
              />
            </Stack>
          </Paper>
          {admin && (
            <Group>
              <Button type="submit" disabled={!dirty} loading={save.isPending}>
                Save settings
              </Button>
              {dirty && (
                <Button variant="default" onClick={() => setDraft(saved)}>
                  Discard changes
                </Button>
              )}
            </Group>
          )}
        </Stack>
      </form>
    </Stack>
  );
}
