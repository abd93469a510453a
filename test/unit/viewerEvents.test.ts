import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidEventError } from '../../server/viewers/errors.js';
import {
  classifyDevice,
  classifyReferrer,
  joinContextOf,
  validateViewerEvent,
  VIEWER_EVENTS,
  type ViewerEventName,
} from '../../server/viewers/viewerEvents.js';

/** Asserts an INVALID_EVENT naming `field`. */
function refuses(event: ViewerEventName, payload: unknown, field: string) {
  assert.throws(
    () => validateViewerEvent(event, payload),
    (error: unknown) => {
      assert.ok(error instanceof InvalidEventError, String(error));
      assert.equal(error.code, 'INVALID_EVENT');
      assert.equal(error.field, field, error.message);
      assert.ok(error.message.startsWith(field), error.message);
      return true;
    },
    `${event} ${JSON.stringify(payload)}`,
  );
}

const VALID: Record<ViewerEventName, Record<string, unknown>> = {
  join: { device: 'mobile', language: 'es-MX', referrer: 'https://www.google.com/search?q=x', utm: { source: 'news_letter', medium: 'email', campaign: 'spring.2025' }, region: 'mx', consent: true, displayName: "María O'Neil" },
  heartbeat: { watchMs: 10_000, streamTimeMs: 123_456 },
  pause: {},
  resume: {},
  mute: {},
  unmute: {},
  seek: { fromStreamTimeMs: 1_000, toStreamTimeMs: 0 },
  poll_vote: { pollId: 'abc123', option: 9 },
  cta_impression: { decisionId: 'dec_1234-AB' },
  cta_click: { decisionId: 'dec_1234-AB' },
  cta_dismiss: { decisionId: 'dec_1234-AB' },
  chat: { text: 'hello' },
};

test('the list of events is the issue\'s, and every one accepts a valid payload', () => {
  assert.deepEqual([...VIEWER_EVENTS].sort(), Object.keys(VALID).sort());
  for (const event of VIEWER_EVENTS) assert.doesNotThrow(() => validateViewerEvent(event, VALID[event]), event);
});

test('valid payloads come back typed and normalized', () => {
  assert.deepEqual(validateViewerEvent('join', VALID.join), {
    device: 'mobile', language: 'es', referrer: 'https://www.google.com/search?q=x',
    utm: { source: 'news_letter', medium: 'email', campaign: 'spring.2025' }, region: 'MX', consent: true, displayName: "María O'Neil",
  });
  assert.deepEqual(validateViewerEvent('join', {}), {});
  assert.deepEqual(validateViewerEvent('heartbeat', { watchMs: 999.6 }), { watchMs: 1000 });
  assert.deepEqual(validateViewerEvent('heartbeat', { watchMs: 0, streamTimeMs: undefined }), { watchMs: 0 });
  assert.deepEqual(validateViewerEvent('poll_vote', { pollId: 'abc123', option: 0 }), { pollId: 'abc123', option: 0 });
  assert.deepEqual(validateViewerEvent('pause', {}), {});
});

test('every event refuses a non-object, an array, an unknown field and prototype keys', () => {
  for (const event of VIEWER_EVENTS) {
    for (const bad of [null, undefined, 'x', 42, true, [], [VALID[event]]]) refuses(event, bad, event);
    refuses(event, { ...VALID[event], extra: 1 }, `${event}.extra`);
    refuses(event, JSON.parse(`{"__proto__": {"polluted": true}}`), `${event}.__proto__`);
    refuses(event, { ...VALID[event], constructor: 'x' }, `${event}.constructor`);
    refuses(event, Object.assign(new (class Payload {})(), VALID[event]), event);
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('heartbeat: watchMs finite, 0..60000; streamTimeMs finite ≥ 0', () => {
  for (const watchMs of [Number.NaN, Infinity, -Infinity, -1, 60_001, '100', null, undefined]) refuses('heartbeat', { watchMs }, 'heartbeat.watchMs');
  for (const streamTimeMs of [Number.NaN, Infinity, -5, '5', null]) refuses('heartbeat', { watchMs: 1, streamTimeMs }, 'heartbeat.streamTimeMs');
});

test('seek: both stream times required, finite and ≥ 0', () => {
  refuses('seek', {}, 'seek.fromStreamTimeMs');
  refuses('seek', { fromStreamTimeMs: 1 }, 'seek.toStreamTimeMs');
  refuses('seek', { fromStreamTimeMs: -1, toStreamTimeMs: 1 }, 'seek.fromStreamTimeMs');
  refuses('seek', { fromStreamTimeMs: 1, toStreamTimeMs: Number.NaN }, 'seek.toStreamTimeMs');
  refuses('seek', { fromStreamTimeMs: Infinity, toStreamTimeMs: 1 }, 'seek.fromStreamTimeMs');
});

test('poll_vote: pollId pattern, option an integer 0..9', () => {
  for (const pollId of ['abc12', 'ABC123', 'abc-123', 'a'.repeat(33), 'abc\u0000123', 5]) refuses('poll_vote', { pollId, option: 1 }, 'poll_vote.pollId');
  for (const option of [-1, 10, 1.5, Number.NaN, Infinity, '1', true]) refuses('poll_vote', { pollId: 'abc123', option }, 'poll_vote.option');
});

test('CTA events: decisionId pattern', () => {
  for (const event of ['cta_impression', 'cta_click', 'cta_dismiss'] as const) {
    for (const decisionId of ['short', 'x'.repeat(41), 'has space1', 'dec\n12345', 'déc123456', 12345678, undefined]) refuses(event, { decisionId }, `${event}.decisionId`);
  }
});

test('chat: text must be a string of bounded size', () => {
  refuses('chat', {}, 'chat.text');
  refuses('chat', { text: 42 }, 'chat.text');
  refuses('chat', { text: 'x'.repeat(2_001) }, 'chat.text');
});

test('join: every field is typed, bounded and free of control characters', () => {
  const bad: Array<[Record<string, unknown>, string]> = [
    [{ device: 'phone' }, 'join.device'],
    [{ device: 1 }, 'join.device'],
    [{ language: 'english!' }, 'join.language'],
    [{ language: 'e' }, 'join.language'],
    [{ language: `en-${'x'.repeat(40)}` }, 'join.language'],
    [{ language: 'en\u0007' }, 'join.language'],
    [{ referrer: 'not a url' }, 'join.referrer'],
    [{ referrer: 'javascript:alert(1)' }, 'join.referrer'],
    [{ referrer: `https://example.com/${'a'.repeat(2_100)}` }, 'join.referrer'],
    [{ referrer: 'https://example.com/\u0000' }, 'join.referrer'],
    [{ referrer: 7 }, 'join.referrer'],
    [{ utm: 'source=x' }, 'join.utm'],
    [{ utm: [] }, 'join.utm'],
    [{ utm: { term: 'x' } }, 'join.utm.term'],
    [{ utm: JSON.parse('{"__proto__": "x"}') }, 'join.utm.__proto__'],
    [{ utm: { source: 'a'.repeat(65) } }, 'join.utm.source'],
    [{ utm: { medium: 'e mail' } }, 'join.utm.medium'],
    [{ utm: { campaign: '' } }, 'join.utm.campaign'],
    [{ utm: { campaign: 'x\u202e' } }, 'join.utm.campaign'],
    [{ region: 'XX' }, 'join.region'],
    [{ region: 'USA' }, 'join.region'],
    [{ region: 1 }, 'join.region'],
    [{ consent: 'yes' }, 'join.consent'],
    [{ consent: 1 }, 'join.consent'],
    [{ displayName: '' }, 'join.displayName'],
    [{ displayName: '<script>' }, 'join.displayName'],
    [{ displayName: 'a'.repeat(41) }, 'join.displayName'],
    [{ displayName: 'line\nbreak' }, 'join.displayName'],
  ];
  for (const [payload, field] of bad) refuses('join', payload, field);
});

test('joinContextOf fills the defaults, classifies the referrer and falls back to the User-Agent', () => {
  const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1';
  assert.deepEqual(joinContextOf({}, iphone), { device: 'mobile', language: 'en', referrer: 'direct', region: 'ZZ', consent: false });
  assert.deepEqual(joinContextOf({}), { device: 'unknown', language: 'en', referrer: 'direct', region: 'ZZ', consent: false });
  assert.deepEqual(joinContextOf({ device: 'tv', language: 'es-MX', referrer: 'https://t.co/abc', utm: { source: 'tw', campaign: 'launch' }, region: 'es', consent: true }, iphone), {
    device: 'tv', language: 'es', referrer: 'social', utmSource: 'tw', utmCampaign: 'launch', region: 'ES', consent: true,
  });
  assert.throws(() => joinContextOf({ region: 'QQ' }), { code: 'INVALID_EVENT' });
});

test('referrers are classified into the six classes', () => {
  const cases: Array<[string, string | undefined, string]> = [
    ['', undefined, 'direct'],
    ['https://www.google.com/', undefined, 'search'],
    ['https://www.google.co.uk/search?q=x', undefined, 'search'],
    ['https://www.bing.com/search?q=x', undefined, 'search'],
    ['https://duckduckgo.com/', undefined, 'search'],
    ['https://search.yahoo.co.jp/', undefined, 'search'],
    ['https://yandex.ru/', undefined, 'search'],
    ['https://m.facebook.com/', undefined, 'social'],
    ['https://l.instagram.com/?u=x', undefined, 'social'],
    ['https://t.co/xyz', undefined, 'social'],
    ['https://www.linkedin.com/feed', undefined, 'social'],
    ['https://old.reddit.com/r/x', undefined, 'social'],
    ['https://mail.google.com/mail/u/0', undefined, 'email'],
    ['https://outlook.live.com/', undefined, 'email'],
    ['https://example.com/?utm_medium=email', undefined, 'email'],
    ['https://example.com/', 'Email', 'email'],
    ['', 'email', 'email'],
    ['https://blog.example.com/', 'partner', 'partner'],
    ['https://www.google.com/', 'affiliate', 'partner'],
    ['https://example.com/?utm_medium=partner', undefined, 'partner'],
    ['https://example.com/', undefined, 'other'],
    ['https://notgoogle.com/', undefined, 'other'],
    ['https://facebook.com.evil.example/', undefined, 'other'],
    ['https://example.com/', 'cpc', 'other'],
    ['not a url', undefined, 'other'],
  ];
  for (const [referrer, medium, expected] of cases) assert.equal(classifyReferrer(referrer, medium), expected, `${referrer} ${medium ?? ''}`);
});

test('User-Agents are classified into mobile, tablet, tv, desktop or unknown', () => {
  const cases: Array<[string | undefined, string]> = [
    [undefined, 'unknown'],
    ['', 'unknown'],
    ['curl/8.4.0', 'unknown'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36', 'desktop'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15', 'desktop'],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0', 'desktop'],
    ['Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 Chrome/126.0 Safari/537.36', 'desktop'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148', 'mobile'],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36', 'mobile'],
    ['Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148', 'tablet'],
    ['Mozilla/5.0 (Linux; Android 14; SM-X910) AppleWebKit/537.36 Chrome/126.0 Safari/537.36', 'tablet'],
    ['Mozilla/5.0 (Linux; Android 9; KFTRWI) AppleWebKit/537.36 Silk/126.1 like Chrome/126.0 Safari/537.36', 'tablet'],
    ['Mozilla/5.0 (SMART-TV; Linux; Tizen 7.0) AppleWebKit/537.36 SamsungBrowser/4.0 TV Safari/537.36', 'tv'],
    ['Mozilla/5.0 (Web0S; Linux/SmartTV) AppleWebKit/537.36 Chrome/87.0 Safari/537.36', 'tv'],
    ['Mozilla/5.0 (Linux; Android 9; AFTMM Build/PS7233) AppleWebKit/537.36 Silk/126 Safari/537.36', 'tv'],
    ['Mozilla/5.0 (Linux; Android 10; BRAVIA 4K VH2) AppleWebKit/537.36 Chrome/120.0 Safari/537.36', 'tv'],
    ['Roku/DVP-12.0 (12.0.0.4182-88)', 'tv'],
    ['Mozilla/5.0 (X11; Linux armv7l) AppleWebKit/537.36 CrKey/1.56.500000', 'tv'],
  ];
  for (const [ua, expected] of cases) assert.equal(classifyDevice(ua), expected, String(ua));
  const huge = `Mozilla/5.0 (Windows NT 10.0) ${'x'.repeat(600)}${'android mobile '.repeat(50_000)}`;
  const started = performance.now();
  assert.equal(classifyDevice(huge), 'desktop', 'only the first 512 characters count');
  assert.ok(performance.now() - started < 50);
});
