import type { Redis } from 'ioredis';
import { MAX_HISTORY, type RolloutState, type RolloutTransition } from './RolloutState.js';

/** One Redis hash per show: `<prefix>:rollout:<showId>`. Whole-state writes, so a retry repairs. */
export class RolloutStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  key(showId: string): string {
    return `${this.prefix}:rollout:${showId}`;
  }

  /** Undefined when nothing is stored; `'unreadable'` when the hash is corrupt. */
  async load(showId: string): Promise<RolloutState | 'unreadable' | undefined> {
    const hash = await this.redis.hgetall(this.key(showId));
    if (Object.keys(hash).length === 0) return undefined;
    return parseState(hash) ?? 'unreadable';
  }

  async save(showId: string, state: RolloutState): Promise<void> {
    const key = this.key(showId);
    await this.redis
      .multi()
      .del(key)
      .hset(key, {
        experimentKey: state.experimentKey,
        stageIndex: String(state.stageIndex),
        paused: state.paused ? '1' : '0',
        pausedReason: state.pausedReason ?? '',
        stageStartedAtMs: String(state.stageStartedAtMs),
        stageBaselineImpressions:
          state.stageBaselineImpressions === null ? '' : String(state.stageBaselineImpressions),
        history: JSON.stringify(state.history.slice(-MAX_HISTORY)),
      })
      .exec()
      .then(throwOnFailure);
  }

  async delete(showId: string): Promise<void> {
    await this.redis.del(this.key(showId));
  }
}

function throwOnFailure(results: [Error | null, unknown][] | null): void {
  if (!results) throw new Error('rollout save: transaction aborted');
  const failed = results.find(([error]) => error);
  if (failed) throw failed[0];
}

function parseState(hash: Record<string, string>): RolloutState | undefined {
  const stageIndex = Number(hash.stageIndex);
  const stageStartedAtMs = Number(hash.stageStartedAtMs);
  const baseline = hash.stageBaselineImpressions ? Number(hash.stageBaselineImpressions) : null;
  const history = parseHistory(hash.history);
  if (!hash.experimentKey || !Number.isInteger(stageIndex) || stageIndex < 0) return undefined;
  if (
    !Number.isFinite(stageStartedAtMs) ||
    (baseline !== null && !Number.isFinite(baseline)) ||
    !history
  )
    return undefined;
  if (hash.paused !== '0' && hash.paused !== '1') return undefined;
  return {
    experimentKey: hash.experimentKey,
    stageIndex,
    paused: hash.paused === '1',
    ...(hash.pausedReason ? { pausedReason: hash.pausedReason } : {}),
    stageStartedAtMs,
    stageBaselineImpressions: baseline,
    history,
  };
}

function parseHistory(json: string | undefined): RolloutTransition[] | undefined {
  try {
    const list: unknown = JSON.parse(json ?? '');
    return Array.isArray(list) && list.every(isTransition) ? list : undefined;
  } catch {
    return undefined;
  }
}

function isTransition(value: unknown): value is RolloutTransition {
  const t = value as RolloutTransition;
  const isPoint = (p: unknown) =>
    typeof p === 'object' &&
    p !== null &&
    typeof (p as { stageIndex: unknown }).stageIndex === 'number';
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof t.atMs === 'number' &&
    typeof t.why === 'string' &&
    isPoint(t.from) &&
    isPoint(t.to)
  );
}
