import { Group, Text } from "@mantine/core";
import { Link } from "react-router";
import { paths } from "../paths.ts";

export function Logo() {
  return (
    <Link to={paths.customers} style={{ textDecoration: "none", color: "inherit" }} aria-label="crmsync home">
      <Group gap={8} wrap="nowrap">
        <img src="/favicon.svg" alt="" width={26} height={26} />
        <Text fw={700} size="lg" component="span">
          crmsync
        </Text>
      </Group>
    </Link>
  );
}
