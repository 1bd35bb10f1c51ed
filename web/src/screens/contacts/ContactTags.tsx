import { Badge, Group } from "@mantine/core";
import { lifecycleLabel, stageOfTag } from "../../components/lifecycle.ts";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";

/** A contact's tags; the lifecycle-stage tag from the CRM reads as the stage and filters by it. */
export function ContactTags({ tags, onTag }: { tags: string[]; onTag: (tag: string) => void }) {
  const crm = useWorkspaceCrm();
  return (
    <Group gap={4}>
      {tags.map((tag) => {
        const stage = stageOfTag(tag);
        return (
          <Badge
            key={tag}
            variant={stage ? "outline" : "light"}
            color={stage ? crm.wording.color : "blue"}
            size="sm"
            tt="none"
            component="button"
            type="button"
            style={{ cursor: "pointer" }}
            onClick={() => onTag(tag)}
            aria-label={stage ? `Show contacts at lifecycle stage ${lifecycleLabel(stage)}` : `Show contacts tagged ${tag}`}
            title={stage ? `Lifecycle stage in ${crm.displayName} (tag ${tag})` : undefined}
            data-lifecycle-stage={stage ?? undefined}
          >
            {stage ? lifecycleLabel(stage) : tag}
          </Badge>
        );
      })}
    </Group>
  );
}
