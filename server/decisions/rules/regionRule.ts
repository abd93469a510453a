import type { OverlayTemplate } from '../types.js';
import { removeEach, type Rule } from './Rule.js';

/** `deny` wins over `allow`; no `allow` list means every region not denied. */
export function regionAllows(template: OverlayTemplate, region: string): boolean {
  const { regions } = template;
  if (!regions) return true;
  if (regions.deny?.includes(region)) return false;
  return !regions.allow || regions.allow.includes(region);
}

/** Hard filter: compliance by region (a region outside `allow` counts as denied). */
export const regionRule: Rule = {
  name: 'region_deny',
  apply: (context, candidates, fired) =>
    removeEach('region_deny', candidates, fired, (t) => !regionAllows(t, context.join.region)),
};
