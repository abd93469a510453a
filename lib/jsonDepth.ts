/**
 * Whether a parsed JSON value nests objects and arrays more than `maxDepth` deep (a bare
 * object is depth 1). Iterative, so a hostile value thousands deep cannot overflow the stack
 * here, as it would in any recursive code after it (validators, `String(array)`).
 */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (typeof item !== 'object' || item === null) continue;
    if (depth > maxDepth) return true;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return false;
}
