/** The placeholders a template may use, e.g. `{topic}`. */
export const SLOTS = [
  'topic',
  'offer',
  'sponsor',
  'pollWinner',
  'pollPercent',
  'question',
  'viewerName',
  'presenterName',
  'showTitle',
] as const;
export type Slot = (typeof SLOTS)[number];
export type SlotValues = Partial<Record<Slot, string>>;

const PLACEHOLDER = /\{([^{}]*)\}/g;

export function isSlot(name: string): name is Slot {
  return (SLOTS as readonly string[]).includes(name);
}

/** Placeholder names in order of first use, known or not. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))];
}

/**
 * One pass over the template: a value that itself contains `{topic}` stays literal text.
 * Callers pick a variant whose slots all have values; a missing one would throw.
 */
export function fillSlots(template: string, values: SlotValues): string {
  return template.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = isSlot(name) ? values[name] : undefined;
    if (value === undefined) throw new Error(`slot {${name}} has no value`);
    return value;
  });
}
