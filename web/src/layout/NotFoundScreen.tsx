import { Button, Stack, Text, Title } from "@mantine/core";
import { Link } from "react-router";
import { paths } from "../paths.ts";

export function NotFoundScreen() {
  return (
    <Stack align="flex-start" gap="sm">
      <Title order={2}>Page not found</Title>
      <Text c="dimmed">There is nothing at this address.</Text>
      <Button component={Link} to={paths.customers} variant="light">
        Go to customers
      </Button>
    </Stack>
  );
}
