import type { ArmMetrics } from './ArmMetrics.js';
import type { GuardrailVerdict, Rollout } from './Rollout.js';

/**
 * Checks a show's rollout against its live per-arm metrics every `everyMs` (one snapshot,
 * then evaluateGuardrail: auto-pause, or auto-advance when enabled). Returns a stop function.
 * A check that fails (e.g. Redis away) is reported to `onError` and retried on the next tick.
 */
export function guardRollout(
  rollout: Rollout,
  metrics: ArmMetrics,
  options: {
    everyMs?: number;
    onVerdict?: (v: GuardrailVerdict) => void;
    onError?: (e: unknown) => void;
  } = {},
): () => void {
  let running = false;
  const check = async () => {
    if (running) return;
    running = true;
    try {
      const verdict = await rollout.evaluateGuardrail(await metrics.snapshot(rollout.showId));
      options.onVerdict?.(verdict);
    } catch (error) {
      options.onError?.(error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void check(), options.everyMs ?? 5_000).unref();
  return () => clearInterval(timer);
}
