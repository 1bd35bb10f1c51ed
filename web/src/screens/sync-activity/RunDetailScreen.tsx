import { Anchor, Group, Stack } from "@mantine/core";
import { IconActivity, IconArrowLeft } from "@tabler/icons-react";
import { Link, useParams } from "react-router";
import { isApiError } from "../../api/client.ts";
import { isActive, useRun } from "../../api/sync-runs.ts";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorAlert } from "../../components/ErrorAlert.tsx";
import { LoadingBlock } from "../../components/Loading.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { formatDateTime } from "../../components/format.ts";
import { paths } from "../../paths.ts";
import { kindLabels } from "./runLabels.ts";
import { RunErrorsList } from "./RunErrorsList.tsx";
import { RunSummary } from "./RunSummary.tsx";

export function RunDetailScreen() {
  const { id = "" } = useParams();
  const run = useRun(id);
  const back = (
    <Anchor component={Link} to={paths.syncActivity} size="sm">
      <Group gap={4}>
        <IconArrowLeft size={14} aria-hidden /> Sync activity
      </Group>
    </Anchor>
  );
  if (run.isError) {
    return (
      <Stack>
        {back}
        {isApiError(run.error, 404) ? (
          <EmptyState icon={<IconActivity size={24} />} title="Run not found" />
        ) : (
          <ErrorAlert error={run.error} title="The run could not be loaded" onRetry={() => void run.refetch()} />
        )}
      </Stack>
    );
  }
  if (run.isPending) return <LoadingBlock />;
  const data = run.data;
  return (
    <Stack gap="md">
      {back}
      <PageHeader title={`${kindLabels[data.kind]} run`} description={formatDateTime(data.startedAt ?? data.createdAt)} />
      <RunSummary run={data} />
      <RunErrorsList runId={data.id} live={isActive(data)} count={data.errorCount} />
    </Stack>
  );
}
