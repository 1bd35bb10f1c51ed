import { useQuery } from "@tanstack/react-query";
import { api, withQuery } from "./client.ts";
import { keys } from "./keys.ts";
import type { Breakdown } from "./types.ts";

export function useBreakdown(by: string | null) {
  return useQuery({
    queryKey: keys.insights(by ?? ""),
    queryFn: () => api.get<Breakdown>(withQuery("/api/v1/insights/customers", { by })),
    enabled: by !== null,
  });
}
