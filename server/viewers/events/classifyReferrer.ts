import type { ReferrerClass } from '../../decisions/types.js';

const MAIL_HOSTS = [
  'mail.google.com', 'inbox.google.com', 'outlook.live.com', 'outlook.office.com', 'outlook.office365.com',
  'mail.yahoo.com', 'mail.aol.com', 'mail.proton.me', 'mail.protonmail.com', 'mail.yandex.ru', 'mail.yandex.com',
  'mail.zoho.com', 'icloud.com', 'fastmail.com', 'gmx.net', 'gmx.com', 'web.de', 'mail.ru',
];
const SOCIAL_HOSTS = [
  'facebook.com', 'fb.com', 'fb.me', 'instagram.com', 'twitter.com', 'x.com', 't.co', 'linkedin.com', 'lnkd.in',
  'reddit.com', 'youtube.com', 'youtu.be', 'tiktok.com', 'pinterest.com', 'snapchat.com', 'threads.net', 'bsky.app',
  'mastodon.social', 'vk.com', 'weibo.com', 'whatsapp.com', 'telegram.org', 't.me', 'discord.com', 'tumblr.com',
];
const SEARCH_HOSTS = ['bing.com', 'duckduckgo.com', 'baidu.com', 'ecosia.org', 'qwant.com', 'startpage.com', 'search.brave.com', 'naver.com', 'seznam.cz', 'ya.ru'];
// Country variants: google.com, google.co.uk, search.yahoo.co.jp, yandex.ru.
const SEARCH_FAMILIES = [/(^|\.)google\.[a-z]{2,3}(\.[a-z]{2})?$/, /(^|\.)search\.yahoo\.[a-z]{2,3}(\.[a-z]{2})?$/, /(^|\.)yandex\.[a-z]{2,3}$/];

/**
 * Where a viewer came from, from the page's own `utm_medium` (or the referrer's) and the
 * referrer's host. Mail hosts are checked before search so that mail.google.com is email.
 */
export function classifyReferrer(referrer: string, utmMedium?: string): ReferrerClass {
  const url = referrer === '' ? undefined : safeUrl(referrer);
  const medium = (utmMedium ?? url?.searchParams.get('utm_medium') ?? '').toLowerCase();
  if (medium === 'email') return 'email';
  if (medium === 'partner' || medium === 'affiliate') return 'partner';
  if (referrer === '') return 'direct';
  if (!url) return 'other';
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  if (matches(host, MAIL_HOSTS)) return 'email';
  if (matches(host, SEARCH_HOSTS) || SEARCH_FAMILIES.some((family) => family.test(host))) return 'search';
  if (matches(host, SOCIAL_HOSTS)) return 'social';
  return 'other';
}

function matches(host: string, domains: readonly string[]): boolean {
  return domains.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
