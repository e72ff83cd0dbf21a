/**
 * One question to the server shared by every caller waiting for it, where each caller must get an answer
 * the server gave after it asked (the bucket's last sequence: an older answer could miss a write
 * acknowledged in between). A call while no question is out asks at once; a call while one is out joins
 * the next, sent as soon as the current one is answered. So at most two questions are ever pending, and a
 * thousand waiting reads cost two round trips, not a thousand.
 */
export function freshCheck<T>(ask: () => Promise<T>): () => Promise<T> {
  let current: Promise<T> | undefined;
  let next: Promise<T> | undefined;
  const start = (): Promise<T> => {
    const asked = ask().finally(() => {
      if (current === asked) current = undefined;
    });
    current = asked;
    return asked;
  };
  return () => {
    if (!current) return start();
    const ignore = () => {};
    next ??= current.then(ignore, ignore).then(() => {
      next = undefined;
      return start();
    });
    return next;
  };
}
