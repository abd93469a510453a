/** Small seeded draws for the simulator and the bench. */
export type Random = () => number;

export function weighted<T extends string>(
  random: Random,
  weights: Readonly<Record<T, number>>,
): T {
  const entries = Object.entries(weights) as Array<[T, number]>;
  let total = 0;
  for (const [, w] of entries) total += w;
  let u = random() * total;
  for (const [value, w] of entries) {
    u -= w;
    if (u < 0) return value;
  }
  return entries.at(-1)![0];
}

export const chance = (random: Random, p: number) => random() < p;
export const between = (random: Random, low: number, high: number) => low + random() * (high - low);
export const integerBelow = (random: Random, n: number) => Math.floor(random() * n);

export function exponential(random: Random, mean: number): number {
  return -mean * Math.log(1 - random());
}

/** Draws `count` distinct items, order kept random. */
export function sample<T>(random: Random, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < count && pool.length)
    out.push(pool.splice(integerBelow(random, pool.length), 1)[0]!);
  return out;
}
