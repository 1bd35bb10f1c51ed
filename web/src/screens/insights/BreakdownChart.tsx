import { BarChart } from "@mantine/charts";
import { Paper, Text } from "@mantine/core";
import type { Breakdown } from "../../api/types.ts";

/** Customers per bucket; the "no value" bucket is kept so the total adds up. */
export function BreakdownChart({ breakdown }: { breakdown: Breakdown }) {
  // Long labels are cut on the axis; the table beside the chart has them in full.
  const data = breakdown.buckets.map((bucket) => ({ bucket: bucket.label.length > 22 ? `${bucket.label.slice(0, 20)}…` : bucket.label, Customers: bucket.count }));
  const many = data.length > 8;
  return (
    <Paper withBorder p="md" radius="md" role="figure" aria-label={`Customers by ${breakdown.field.label}`}>
      <BarChart
        h={many ? 400 : 320}
        data={data}
        dataKey="bucket"
        series={[{ name: "Customers", color: "blue.6" }]}
        tickLine="y"
        gridAxis="y"
        withTooltip
        tooltipAnimationDuration={150}
        xAxisProps={many ? { angle: -35, textAnchor: "end", height: 110, interval: 0 } : { interval: 0 }}
        yAxisProps={{ allowDecimals: false }}
        barProps={{ radius: [4, 4, 0, 0] }}
      />
      <Text size="xs" c="dimmed" mt="xs" ta="right">
        {breakdown.total} {breakdown.total === 1 ? "customer" : "customers"} in the workspace
      </Text>
    </Paper>
  );
}
