import type { DeviceClass } from '../../decisions/types.js';

/** Longer User-Agents are cut before matching: the classes are decided in the first few hundred characters. */
const MAX_UA_CHARS = 512;
const TV = /smart-?tv|googletv|google tv|appletv|apple ?tv|hbbtv|netcast|roku|crkey|\baft[a-z]|bravia|web0s|webos.{0,40}tv|tizen.{0,40}tv|philipstv|viera|playstation|xbox|nintendo/i;
const TABLET = /ipad|tablet|kindle|silk\/|playbook|nexus (7|9|10)|sm-t\d/i;
const MOBILE = /mobi|iphone|ipod|windows phone|blackberry|bb10|opera mini|iemobile/i;
const DESKTOP = /windows nt|macintosh|mac os x|x11|linux|cros/i;

/**
 * The device class from a handshake User-Agent. iPadOS in desktop mode says "Macintosh" and is
 * counted as desktop; an Android without "Mobile" is a tablet by Google's own convention.
 */
export function classifyDevice(userAgent: string | undefined): DeviceClass {
  if (!userAgent) return 'unknown';
  const ua = userAgent.slice(0, MAX_UA_CHARS);
  if (TV.test(ua)) return 'tv';
  if (TABLET.test(ua)) return 'tablet';
  if (MOBILE.test(ua)) return 'mobile';
  if (/android/i.test(ua)) return 'tablet';
  if (DESKTOP.test(ua)) return 'desktop';
  return 'unknown';
}
