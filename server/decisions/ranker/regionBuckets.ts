/** Coarse region buckets for the ranker: enough to learn regional taste, too coarse to identify. */
export const REGION_BUCKETS = [
  'north_america',
  'latin_america',
  'europe',
  'other',
  'unknown',
] as const;
export type RegionBucket = (typeof REGION_BUCKETS)[number];

const BUCKET_OF: ReadonlyMap<string, RegionBucket> = new Map([
  ...['US', 'CA'].map((r) => [r, 'north_america'] as const),
  ...[
    'MX',
    'GT',
    'BZ',
    'SV',
    'HN',
    'NI',
    'CR',
    'PA',
    'CU',
    'DO',
    'PR',
    'CO',
    'VE',
    'EC',
    'PE',
    'BO',
    'PY',
    'UY',
    'AR',
    'CL',
    'BR',
  ].map((r) => [r, 'latin_america'] as const),
  ...[
    'GB',
    'IE',
    'ES',
    'PT',
    'FR',
    'DE',
    'IT',
    'NL',
    'BE',
    'LU',
    'AT',
    'CH',
    'SE',
    'NO',
    'DK',
    'FI',
    'IS',
    'PL',
    'CZ',
    'SK',
    'HU',
    'RO',
    'BG',
    'GR',
    'SI',
    'HR',
    'EE',
    'LV',
    'LT',
    'UA',
  ].map((r) => [r, 'europe'] as const),
]);

export function regionBucket(region: string): RegionBucket {
  if (!/^[A-Z]{2}$/.test(region) || region === 'ZZ') return 'unknown';
  return BUCKET_OF.get(region) ?? 'other';
}
