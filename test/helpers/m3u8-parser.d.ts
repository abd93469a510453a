/** The parts of m3u8-parser's output the HLS tests read (the package ships no types). */
declare module 'm3u8-parser' {
  export interface ParsedPart {
    uri: string;
    duration: number;
    independent?: boolean;
  }

  export interface ParsedSegment {
    uri?: string;
    duration?: number;
    timeline: number;
    discontinuity?: boolean;
    map?: { uri: string };
    /** EXT-X-PROGRAM-DATE-TIME as written. */
    dateTimeString?: string;
    parts?: ParsedPart[];
    preloadHints?: Array<{ uri: string; type: string }>;
  }

  export interface ParsedManifest {
    version?: number;
    targetDuration?: number;
    mediaSequence?: number;
    discontinuitySequence?: number;
    independentSegments?: boolean;
    partTargetDuration?: number;
    serverControl?: { canBlockReload?: boolean; partHoldBack?: number; holdBack?: number };
    segments: ParsedSegment[];
    /** The open segment: its parts and the preload hint, no EXTINF yet. */
    preloadSegment?: ParsedSegment;
    playlists?: Array<{ uri: string; attributes: Record<string, unknown> }>;
  }

  export class Parser {
    manifest: ParsedManifest;
    push(chunk: string): void;
    end(): void;
  }
}
