/**
 * Secret hygiene shared by the config check, the logger and error messages: how strong a
 * configured secret looks, and how to keep secrets out of text that leaves the process.
 */

/** Bits a configured bearer token or HMAC key must carry (≥ 22 base64url or 32 hex characters). */
export const MIN_SECRET_BITS = 128;

/** Words of example and placeholder values (`change-me-…`, `your-token`, `test-token-…`). */
const PLACEHOLDER =
  /change[-_.]?me|changeit|replace[-_.]?me|example|placeholder|secret|password|passwd|token|test|dummy|sample|default|your[-_.]|xxxx|todo|fixme|onair/gi;

/**
 * An estimate of the bits in a secret from its character classes and length: hex counts 4 bits
 * a character, a base64 alphabet (both letter cases) 6, anything else log2 of the classes' sizes.
 * It can only tell a weak value from a random-looking one, never prove randomness.
 */
export function estimateSecretBits(value: string): number {
  if (value.length === 0) return 0;
  if (/^[0-9a-f]+$/.test(value) || /^[0-9A-F]+$/.test(value)) return value.length * 4;
  const lower = /[a-z]/.test(value);
  const upper = /[A-Z]/.test(value);
  const digit = /[0-9]/.test(value);
  const symbol = /[^A-Za-z0-9]/.test(value);
  let pool = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (symbol ? 7 : 0);
  if (lower && upper) pool = Math.max(pool, 64);
  return value.length * Math.log2(Math.max(pool, 2));
}

/** Why a configured secret is too weak to accept, or undefined when it looks random enough. */
export function secretWeakness(value: string, minBits = MIN_SECRET_BITS): string | undefined {
  const word = placeholderWord(value);
  if (word)
    return `looks like a placeholder (contains "${word}"); use a random value, e.g. \`openssl rand -base64 24\``;
  const bits = estimateSecretBits(value);
  if (bits < minBits)
    return `is too weak (about ${Math.floor(bits)} bits, needs ${minBits}: at least 22 random base64url or 32 random hex characters)`;
  if (/(.)\1{5}/.test(value))
    return 'repeats a character six or more times in a row; use a random value';
  if (hasRun(value, 6))
    return 'contains a run of six consecutive characters (e.g. "123456", "abcdef"); use a random value';
  if (isPeriodic(value)) return 'is a repeated pattern; use a random value';
  const distinct = new Set(value).size;
  if (distinct < Math.min(value.length, /^[0-9a-f]+$/i.test(value) ? 16 : 64) / 2)
    return `uses only ${distinct} distinct characters; use a random value`;
  return undefined;
}

/** A placeholder word written as people write words (lower, UPPER or Capitalized), not by chance. */
function placeholderWord(value: string): string | undefined {
  for (const [word] of value.matchAll(PLACEHOLDER)) {
    const lower = word.toLowerCase();
    if (
      word === lower ||
      word === word.toUpperCase() ||
      word === lower[0]!.toUpperCase() + lower.slice(1)
    )
      return word;
  }
  return undefined;
}

function hasRun(value: string, length: number): boolean {
  for (const step of [1, -1]) {
    let run = 1;
    for (let i = 1; i < value.length; i++) {
      run = value.charCodeAt(i) - value.charCodeAt(i - 1) === step ? run + 1 : 1;
      if (run >= length) return true;
    }
  }
  return false;
}

function isPeriodic(value: string): boolean {
  for (let unit = 1; unit <= value.length / 2; unit++) {
    if (value.length % unit === 0 && value.slice(unit) === value.slice(0, -unit)) return true;
  }
  return false;
}

export const REDACTED = '[REDACTED]';

/** The URL with its password (and user name) replaced; text that is not a URL comes back unchanged. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (!url.password && !url.username) return raw;
    if (url.password) url.password = 'REDACTED';
    else url.username = 'REDACTED';
    return url.toString().replace(/\/$/, raw.endsWith('/') ? '/' : '');
  } catch {
    return raw.replace(/\/\/[^/@\s]*@/g, '//REDACTED@');
  }
}

/**
 * Text with every known secret, every `Bearer <token>`, every password in a URL and every WHEP
 * session id replaced. Used on whole log lines and on errors printed at startup.
 */
export function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets)
    if (secret.length >= 8 && out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out
    .replace(/(Bearer\s+)[^\s"',;]+/gi, `$1${REDACTED}`)
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s"']*@/gi, '$1REDACTED@')
    .replace(/(\/sessions\/)[0-9a-f]{32}/gi, `$1${REDACTED}`);
}
