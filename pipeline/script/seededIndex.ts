/** A deterministic index in `0..count-1` for a seed (FNV-1a over its string form). */
export function seededIndex(seed: number | string, count: number): number {
  let hash = 0x811c9dc5;
  for (const ch of String(seed)) {
    hash ^= ch.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return count > 0 ? hash % count : 0;
}
