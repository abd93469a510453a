import type { IntentExample } from '../dataset.js';
import { shuffled } from '../../../lib/prng.js';

/**
 * Stratified split: within every (intent, language) group a seeded shuffle sends the first
 * `fraction` to `held` and the rest to `kept`. Groups are visited in a fixed order.
 */
export function stratifiedSplit(
  examples: readonly IntentExample[],
  fraction: number,
  random: () => number,
): { kept: IntentExample[]; held: IntentExample[] } {
  const groups = new Map<string, IntentExample[]>();
  for (const example of examples) {
    const key = `${example.intent}/${example.lang}`;
    const group = groups.get(key) ?? [];
    group.push(example);
    groups.set(key, group);
  }
  const kept: IntentExample[] = [];
  const held: IntentExample[] = [];
  for (const key of [...groups.keys()].sort()) {
    const group = shuffled(groups.get(key)!, random);
    const heldCount = Math.round(group.length * fraction);
    held.push(...group.slice(0, heldCount));
    kept.push(...group.slice(heldCount));
  }
  return { kept, held };
}
