import type { JoinContext, SessionFeatures } from '../decisions/types.js';
import type { SessionSnapshot } from './sessionTypes.js';

const PER_TEMPLATE = { 'shown:': 'shownByTemplate', 'clicked:': 'clickedByTemplate', 'dismissed:': 'dismissedByTemplate' } as const;

/** The session hash (as HGETALL's flat reply or object) read back into the shared types. */
export function sessionFromHash(hash: Record<string, string>): SessionSnapshot {
  const count = (field: string) => Number(hash[field] ?? 0);
  const features: SessionFeatures = {
    watchMs: count('watchMs'),
    engagement: count('engagement'),
    topicsSeen: jsonList(hash.topics),
    ctasShown: count('ctasShown'),
    ctasClicked: count('ctasClicked'),
    shownByTemplate: {},
    clickedByTemplate: {},
    dismissedByTemplate: {},
    lastCtaAtMs: count('lastCtaAtMs'),
    muted: hash.muted === '1',
    paused: hash.paused === '1',
  };
  if (hash.lastPollAnswer !== undefined) features.lastPollAnswer = hash.lastPollAnswer;
  for (const [field, value] of Object.entries(hash)) {
    const prefix = (Object.keys(PER_TEMPLATE) as Array<keyof typeof PER_TEMPLATE>).find((p) => field.startsWith(p));
    if (prefix) features[PER_TEMPLATE[prefix]][field.slice(prefix.length)] = Number(value);
  }
  const snapshot: SessionSnapshot = { features };
  if (hash.join !== undefined) snapshot.join = JSON.parse(hash.join) as JoinContext;
  return snapshot;
}

export function pairsToObject(reply: unknown): Record<string, string> {
  const flat = reply as string[];
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) hash[flat[i]!] = flat[i + 1]!;
  return hash;
}

// cjson writes an empty Lua table as `{}`: that is an empty list too.
function jsonList(text: string | undefined): string[] {
  if (text === undefined) return [];
  const value = JSON.parse(text) as unknown;
  return Array.isArray(value) ? (value as string[]) : [];
}
