/** Case- and diacritic-insensitive form for matching: `Estúpido` → `estupido`. */
export function foldForMatch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** A whole-word matcher for a term over folded text; spaces in the term match any whitespace. */
export function wholeWordPattern(term: string): RegExp {
  const body = foldForMatch(term)
    .split(' ')
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'u');
}
