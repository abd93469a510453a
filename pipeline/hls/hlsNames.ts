/**
 * The file names of a show's LL-HLS output, relative to its playlist. Every name is unique for
 * the sink's life (generations, media sequence numbers and part numbers only grow), which is
 * what lets a CDN cache media as immutable.
 */
export const hlsNames = {
  mediaPlaylist: 'index.m3u8',
  multivariantPlaylist: 'multivariant.m3u8',
  init: (generation: number) => `init-${generation}.mp4`,
  segment: (msn: number) => `seg-${msn}.m4s`,
  part: (seq: number) => `part-${seq}.m4s`,
};

export type HlsMediaFile = { kind: 'init'; generation: number } | { kind: 'segment'; msn: number } | { kind: 'part'; seq: number };

const MEDIA_FILE = /^(init|seg|part)-(\d{1,12})\.(mp4|m4s)$/;
const KINDS = { init: 'mp4', seg: 'm4s', part: 'm4s' } as const;

/** What a media file name asks for, or undefined for a name this output never writes. */
export function parseMediaFile(name: string): HlsMediaFile | undefined {
  const match = MEDIA_FILE.exec(name);
  if (!match) return undefined;
  const [, prefix, digits, extension] = match as unknown as [string, keyof typeof KINDS, string, string];
  if (KINDS[prefix] !== extension || (digits.length > 1 && digits.startsWith('0'))) return undefined;
  const n = Number(digits);
  if (prefix === 'init') return { kind: 'init', generation: n };
  return prefix === 'seg' ? { kind: 'segment', msn: n } : { kind: 'part', seq: n };
}
