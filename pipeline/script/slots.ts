/** The placeholders a template may use, e.g. `{topic}`. */
export const SLOTS = [
  'topic',
  'episode',
  'segment',
  'talkingPoints',
  'pollQuestion',
  'pollOptions',
  'fact',
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

/**
 * How much a slot says about this moment of the show: a variant that uses a `specific` slot
 * is preferred to one that only names the show (`episode`), which is preferred to one that
 * says nothing the persona does not (`presenterName`, `showTitle`). See TemplateScripter.
 */
export function slotWeight(slot: Slot): number {
  if (slot === 'presenterName' || slot === 'showTitle') return 0;
  if (slot === 'episode') return 1;
  return 2;
}

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
