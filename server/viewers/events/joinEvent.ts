import { DEVICE_CLASSES, type DeviceClass, type JoinContext } from '../../decisions/types.js';
import { InvalidEventError } from '../errors.js';
import { classifyDevice } from './classifyDevice.js';
import { classifyReferrer } from './classifyReferrer.js';
import { boolean, boundedString, definedOnly, optional, plainObject } from './fields.js';
import { REGIONS, UNKNOWN_REGION } from './regions.js';

export interface JoinUtm {
  source?: string;
  medium?: string;
  campaign?: string;
}

/** A validated `join` payload, before the server classifies it into a JoinContext. */
export interface JoinPayload {
  device?: DeviceClass;
  /** Primary language subtag, lower case ('es-MX' → 'es'). */
  language?: string;
  /** A http(s) URL, or '' for none. */
  referrer?: string;
  utm?: JoinUtm;
  /** Upper case ISO 3166-1 alpha-2, or `ZZ`. */
  region?: string;
  consent?: boolean;
  displayName?: string;
}

const JOIN_FIELDS = ['device', 'language', 'referrer', 'utm', 'region', 'consent', 'displayName'] as const;
const UTM_FIELDS = ['source', 'medium', 'campaign'] as const;
const UTM_VALUE = { max: 64, min: 1, pattern: /^[A-Za-z0-9._-]+$/, expected: '1-64 of A-Z a-z 0-9 . _ -' };
const LANGUAGE = { max: 35, min: 2, pattern: /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, expected: 'a BCP 47 tag such as en or es-MX' };
const REGION = { max: 2, min: 2, pattern: /^[A-Za-z]{2}$/, expected: 'an ISO 3166-1 alpha-2 code or ZZ' };
/** The display-name rule of viewerNamespace.ts. */
const DISPLAY_NAME = { max: 40, min: 1, pattern: /^[\p{L}\p{N} ._'-]{1,40}$/u, expected: "1-40 letters, digits, spaces or . _ ' -" };
const MAX_REFERRER_CHARS = 2048;

export function parseJoin(payload: unknown): JoinPayload {
  const raw = plainObject(payload, 'join', JOIN_FIELDS);
  return definedOnly<JoinPayload>({
    device: optional(raw.device, deviceOf),
    language: optional(raw.language, (v) => boundedString(v, 'join.language', LANGUAGE).split('-')[0]!.toLowerCase()),
    referrer: optional(raw.referrer, referrerOf),
    utm: optional(raw.utm, utmOf),
    region: optional(raw.region, regionOf),
    consent: optional(raw.consent, (v) => boolean(v, 'join.consent')),
    displayName: optional(raw.displayName, (v) => boundedString(v, 'join.displayName', DISPLAY_NAME)),
  });
}

/**
 * The JoinContext a decision uses, from an untrusted `join` payload and the handshake's
 * User-Agent: the device class falls back to the User-Agent, language to `en`, region to
 * `ZZ`, consent to false.
 */
export function joinContextOf(payload: unknown, userAgent?: string): JoinContext {
  return joinContextFrom(parseJoin(payload), userAgent);
}

export function joinContextFrom(join: JoinPayload, userAgent?: string): JoinContext {
  const context: JoinContext = {
    device: join.device ?? classifyDevice(userAgent),
    language: join.language ?? 'en',
    referrer: classifyReferrer(join.referrer ?? '', join.utm?.medium),
    region: join.region ?? UNKNOWN_REGION,
    consent: join.consent ?? false,
  };
  if (join.utm?.source !== undefined) context.utmSource = join.utm.source;
  if (join.utm?.campaign !== undefined) context.utmCampaign = join.utm.campaign;
  return context;
}

function deviceOf(value: unknown): DeviceClass {
  if (typeof value !== 'string' || !(DEVICE_CLASSES as readonly string[]).includes(value)) {
    throw new InvalidEventError('join.device', `must be one of ${DEVICE_CLASSES.join(', ')}`);
  }
  return value as DeviceClass;
}

function referrerOf(value: unknown): string {
  const text = boundedString(value, 'join.referrer', { max: MAX_REFERRER_CHARS });
  if (text === '') return text;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidEventError('join.referrer', "must be an http(s) URL or ''");
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidEventError('join.referrer', "must be an http(s) URL or ''");
  return text;
}

function utmOf(value: unknown): JoinUtm {
  const raw = plainObject(value, 'join.utm', UTM_FIELDS);
  const read = (field: (typeof UTM_FIELDS)[number]) => optional(raw[field], (v) => boundedString(v, `join.utm.${field}`, UTM_VALUE));
  return definedOnly<JoinUtm>({ source: read('source'), medium: read('medium'), campaign: read('campaign') });
}

function regionOf(value: unknown): string {
  const code = boundedString(value, 'join.region', REGION).toUpperCase();
  if (!REGIONS.has(code)) throw new InvalidEventError('join.region', `${code} is not an ISO 3166-1 alpha-2 code (use ZZ when unknown)`);
  return code;
}
