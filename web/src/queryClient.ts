import { QueryCache, QueryClient } from "@tanstack/react-query";
import { isApiError } from "./api/client.ts";
import { keys } from "./api/keys.ts";

/** A 401 anywhere means the session ended (expired, signed out elsewhere): drop it so the login shows. */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error) => {
        if (isApiError(error, 401)) client.setQueryData(keys.session, null);
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        // Client errors will not fix themselves; retrying only delays the message.
        retry: (failures, error) => !(isApiError(error) && error.status < 500) && failures < 2,
        refetchOnWindowFocus: false,
      },
    },
  });
  return client;
}
