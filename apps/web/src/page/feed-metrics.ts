/**
 * The page's counters, also on `window.__feedMetrics` for benchmarks and tests: what arrived, what was
 * refused or repaired, how often the DOM was patched. Bad frames are also warned about on the console.
 */
export interface FeedMetrics {
  framesReceived: number;
  /** "subscribed" frames: the feed is live from the first one on (tests wait for it). */
  subscriptions: number;
  /** Vehicle frames that changed the state (not duplicates, not refused). */
  framesApplied: number;
  /** Frames refused whole: not JSON, unknown type, or no usable sequence, event or registration. */
  framesSkipped: number;
  /** Frames kept with at least one bad field shown as "—". */
  framesRepaired: number;
  /** Animation frames in which the DOM was patched. */
  renders: number;
  /** Renders, or frames, that threw anyway; the page carries on. */
  errors: number;
  rowsCreated: number;
  rowsUpdated: number;
  toastsFolded: number;
}

export function createFeedMetrics(): FeedMetrics {
  return { framesReceived: 0, subscriptions: 0, framesApplied: 0, framesSkipped: 0, framesRepaired: 0, renders: 0, errors: 0, rowsCreated: 0, rowsUpdated: 0, toastsFolded: 0 };
}

/** The first 20 problems, then one in 1,000: a flood of bad frames must not become a flood of console lines. */
export function shouldWarn(problemCount: number): boolean {
  return problemCount <= 20 || problemCount % 1_000 === 0;
}

/** "2 bad frames skipped · 1 shown with blanks"; empty when all is well. */
export function problemsText(metrics: Pick<FeedMetrics, "framesSkipped" | "framesRepaired">): string {
  const parts: string[] = [];
  if (metrics.framesSkipped) parts.push(`${metrics.framesSkipped.toLocaleString("en-GB")} bad ${metrics.framesSkipped === 1 ? "frame" : "frames"} skipped`);
  if (metrics.framesRepaired) parts.push(`${metrics.framesRepaired.toLocaleString("en-GB")} shown with blanks`);
  return parts.join(" · ");
}
