import fc from 'fast-check';

/**
 * fast-check arbitraries for hostile input: values that are mostly wrong, sometimes nearly
 * right (the field names and value shapes OnAir's routes and events take), so runs get past
 * the first check often enough to reach the ones behind it.
 */

/** Field names the API and sockets take, so generated objects sometimes pass a schema. */
const FIELDS = [
  'title', 'persona', 'testCard', 'text', 'prompt', 'context', 'topic', 'region', 'offer', 'word', 'overlay', 'name', 'pitch', 'sponsor',
  'enabled', 'question', 'options', 'label', 'segment', 'durationMs', 'announce', 'placement', 'headline', 'body', 'action', 'link',
  'colours', 'background', 'accent', 'burnIn', 'decisionId', 'reason', 'resolutions', 'resolution', 'phrases', 'showId', 'personas',
  'clips', 'watchMs', 'streamTimeMs', 'fromStreamTimeMs', 'toStreamTimeMs', 'pollId', 'option', 'consent', 'displayName', 'device',
  'language', 'referrer', 'utm', 'source', '__proto__', 'constructor',
];

/** Strings that have broken parsers and validators before, and plausible ones. */
const nastyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', ' ', 'ava', 'hello world', '360p', 'badge', 'lower_third_cta', '#00ff00', 'https://example.com/', 'javascript:alert(1)', '../../etc/passwd', '%00', '\u0000', '\u0085', '\u202e', '\ud800', 'NaN', '-1', '1.5', '1e309', 'x'.repeat(5_000)),
);

const nastyNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 1.5, 2 ** 53, Number.MAX_VALUE, -0));

const leaf = fc.oneof(nastyString, nastyNumber, fc.boolean(), fc.constant(null));

/** Objects and arrays a few levels deep, keyed mostly by real field names. */
export const nastyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('object'), tie('array')),
  object: fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 10 })), tie('value'), { maxKeys: 6 }),
  array: fc.array(tie('value'), { maxLength: 6 }),
})).value;

/** An object payload, as sockets and most bodies expect: wrong in its fields, not its kind. */
export const nastyObject = fc.dictionary(fc.constantFrom(...FIELDS), nastyValue, { maxKeys: 4 });

/** `[[[…]]]` or `{"a":{"a":…}}` nested far past any legitimate body, on its own or as a field's value. */
export const deepValue = fc
  .record({ depth: fc.integer({ min: 17, max: 5_000 }), array: fc.boolean(), field: fc.option(fc.constantFrom(...FIELDS)) })
  .map(({ depth, array, field }) => {
    const deep = array ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    return field === null ? deep : `{${JSON.stringify(field)}:${deep}}`;
  });

export interface FuzzBody {
  contentType?: string;
  body?: string;
}

/**
 * What a client might send as a body: JSON of all kinds, broken JSON, deep JSON, other types,
 * nothing. Empty and small objects come often: many routes take `{}`, and only a body that
 * passes the schema reaches the handler and the domain behind it.
 */
export const nastyBody: fc.Arbitrary<FuzzBody> = fc.oneof(
  { arbitrary: fc.constant({ contentType: 'application/json', body: '{}' }), weight: 2 },
  { arbitrary: nastyObject.map((value) => ({ contentType: 'application/json', body: JSON.stringify(value) })), weight: 3 },
  { arbitrary: nastyValue.map((value) => ({ contentType: 'application/json', body: JSON.stringify(value) ?? 'null' })), weight: 1 },
  { arbitrary: fc.string({ maxLength: 200 }).map((body) => ({ contentType: 'application/json', body })), weight: 1 },
  { arbitrary: deepValue.map((body) => ({ contentType: 'application/json', body })), weight: 1 },
  {
    arbitrary: fc.record({ contentType: fc.constantFrom('text/plain', 'application/sdp', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', ''), body: fc.string({ maxLength: 200 }) }),
    weight: 1,
  },
  { arbitrary: fc.constant({}), weight: 1 },
);

/** URL-encoded; a lone surrogate (which cannot be) becomes U+FFFD on the way. */
const encode = (s: string) => encodeURIComponent(Buffer.from(s).toString());

/** A path parameter: half the time a real one (`known`), so runs get past the lookup; otherwise anything, URL-encoded or raw escapes. */
export const pathParam = (known: string[]) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...known), weight: 2 },
    { arbitrary: nastyString.filter((s) => s.length > 0 && s.length < 300).map(encode), weight: 1 },
    { arbitrary: fc.constantFrom('me', '..', '%2e%2e', '%00', 'a%2Fb', '%ff', '%E0%A4%A', '%'), weight: 1 },
  );

/** A query string: real parameter names with anything in them, repeated or not. */
export const queryString = fc
  .array(fc.tuple(fc.constantFrom('limit', 'before', 'viewer', 'kind', '_HLS_msn', '_HLS_part', 'x', '__proto__'), nastyString), { maxLength: 4 })
  .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${encode(v)}`).join('&')}` : ''));
