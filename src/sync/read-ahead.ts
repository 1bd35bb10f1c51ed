// Reading a CRM listing ahead of the writes. Each request of a listing needs the previous
// page's cursor, so requests go one at a time; but they need not wait for the local writes.
// While the caller writes, the listing goes on into a buffer of up to `most` pages, and the
// caller then takes every page already in hand at once: one transaction (and one multi-row
// statement per table) for several pages when the CRM answers faster than the database writes,
// one page at a time when pages arrive slowly (as at HubSpot's rate limits). Checkpoints still
// follow the pages written: pages read ahead and lost to an interruption are read again on
// resume; a caller that stops waits for the one request in flight, not for the buffer to fill.

/** The items of `source` in order, in batches of those already at hand (1 to `most`). */
export async function* readAhead<T>(source: AsyncIterable<T>, most: number): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  const buffer: T[] = [];
  // Changed by the request's callbacks as well as here: fields, so no narrowing assumes them fixed.
  const state = {
    inFlight: null as Promise<void> | null,
    ended: false,
    failure: null as { error: unknown } | null,
    stopped: false,
    wake: null as (() => void) | null,
  };

  /** Asks for the next item unless one is on its way, the buffer is full, or the listing is over. */
  const pump = (): void => {
    if (state.inFlight || state.ended || state.failure || state.stopped || buffer.length >= most) return;
    state.inFlight = iterator
      .next()
      .then(
        (result) => {
          if (result.done) state.ended = true;
          else buffer.push(result.value);
        },
        (error: unknown) => {
          state.failure = { error };
        },
      )
      .finally(() => {
        state.inFlight = null;
        state.wake?.();
        pump();
      });
  };

  try {
    for (;;) {
      pump();
      while (buffer.length === 0 && !state.ended && !state.failure) await new Promise<void>((resolve) => (state.wake = resolve));
      state.wake = null;
      // The items read before a failure are handed over first; then it is thrown.
      if (buffer.length === 0) {
        if (state.failure) throw state.failure.error;
        return;
      }
      const batch = buffer.splice(0, most);
      pump();
      yield batch;
    }
  } finally {
    state.stopped = true;
    await state.inFlight;
    await iterator.return?.();
  }
}
