import { Badge, Loader } from "@mantine/core";
import type { RunStatus } from "../../api/types.ts";
import { statusColors, statusLabels } from "./runLabels.ts";

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return (
    <Badge color={statusColors[status]} variant="light" tt="none" style={{ overflow: "visible" }} leftSection={status === "running" ? <Loader size={10} color="blue" aria-hidden /> : null}>
      {statusLabels[status]}
    </Badge>
  );
}
