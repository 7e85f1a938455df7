// MXNet's global NameManager (python/mxnet/name.py): one counter per hint for the whole
// process, so the first top-level LSTM is 'lstm0', the next 'lstm1', shared with LSTMCell.

const counters = new Map<string, number>();

/** `NameManager.current.get(None, hint)`: 'hint0', 'hint1', ... per hint. */
export function nextName(hint: string): string {
  const n = counters.get(hint) ?? 0;
  counters.set(hint, n + 1);
  return `${hint}${n}`;
}

/**
 * Forgets every counter, as if a new process had started (MXNet users get this by
 * restarting Python, or by entering a fresh `mx.name.NameManager()`). Tests that quote names
 * such as `lstm0_` call this first.
 */
export function resetNameCounters(): void {
  counters.clear();
}
