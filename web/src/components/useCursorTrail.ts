import { useState } from "react";

/**
 * The cursors behind the current page of a list. It starts over whenever `resetKey` (the
 * list's filters and sort) changes, since old cursors mean nothing for another query.
 */
export function useCursorTrail(resetKey: string) {
  const [state, setState] = useState<{ key: string; trail: string[] }>({ key: resetKey, trail: [] });
  const trail = state.key === resetKey ? state.trail : [];
  return {
    cursor: trail[trail.length - 1],
    page: trail.length + 1,
    hasPrevious: trail.length > 0,
    next: (cursor: string) => setState({ key: resetKey, trail: [...trail, cursor] }),
    previous: () => setState({ key: resetKey, trail: trail.slice(0, -1) }),
  };
}
