/**
 * Starts a block's child-process runs at once, in its `before`, for tests that each read one
 * run's result. A run that is mostly a process starting (a CLI, its plugins, a runtime loading
 * the SDKs) leaves a core idle while it waits, so together they take a fraction of their sum.
 */
export function startAll<T>(runs: Record<string, () => Promise<T>>): (name: string) => Promise<T> {
  const started = new Map<string, Promise<T>>();
  for (const [name, run] of Object.entries(runs)) {
    const result = run();
    // Awaited by its test; a failure before then is not an unhandled rejection.
    result.catch(() => undefined);
    started.set(name, result);
  }
  return (name) => {
    const result = started.get(name);
    if (!result) throw new Error(`no run named ${name} was started`);
    return result;
  };
}
