import { Button, Group, Text } from "@mantine/core";
import { IconChevronLeft, IconChevronRight } from "@tabler/icons-react";

interface Props {
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  loading?: boolean;
}

/** Previous/next over a cursor-paginated list (cursors only go forward; the screen keeps the trail back). */
export function CursorPager({ page, hasPrevious, hasNext, onPrevious, onNext, loading = false }: Props) {
  if (!hasPrevious && !hasNext) return null;
  return (
    <Group justify="flex-end" gap="xs" mt="sm">
      <Text size="sm" c="dimmed">
        Page {page}
      </Text>
      <Button variant="default" size="xs" leftSection={<IconChevronLeft size={14} aria-hidden />} disabled={!hasPrevious || loading} onClick={onPrevious}>
        Previous
      </Button>
      <Button variant="default" size="xs" rightSection={<IconChevronRight size={14} aria-hidden />} disabled={!hasNext || loading} onClick={onNext}>
        Next
      </Button>
    </Group>
  );
}
