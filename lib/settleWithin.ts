/**
 * Waits for `work` at most `budgetMs`. Resolves `{ value }` when it settled in time, or
 * undefined when it failed or ran over: for lookups the live lane may skip, never wait on.
 */
export async function settleWithin<T>(work: Promise<T>, budgetMs: number): Promise<{ value: T } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), budgetMs)));
  try {
    return await Promise.race([work.then((value) => ({ value }), () => undefined), budget]);
  } finally {
    clearTimeout(timer);
  }
}
