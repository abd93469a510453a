/** Shorter windows than this return the last figure, so a burst of readers cannot skew it. */
const MIN_WINDOW_MS = 400;

/** This process's CPU use over the last window, in cores (1 = one core busy). */
export function processCpu(): () => number {
  let last = { usage: process.cpuUsage(), atMs: performance.now() };
  let cores = 0;
  return () => {
    const atMs = performance.now();
    const elapsedMs = atMs - last.atMs;
    if (elapsedMs < MIN_WINDOW_MS) return cores;
    const usage = process.cpuUsage();
    const busyMs = (usage.user - last.usage.user + usage.system - last.usage.system) / 1_000;
    last = { usage, atMs };
    cores = Math.round((busyMs / elapsedMs) * 100) / 100;
    return cores;
  };
}
