import type { PollRequest, PollResult } from '../shows/polls/Poll.js';
import type { StreamClockSync } from '../sfu/SfuIngestSink.js';
import type { OverlayMessage } from './overlayMessage.js';

type Rect = { x: number; y: number; width: number; height: number };

/**
 * What every node deciding for a show's viewers must read of the show: written by its origin
 * (ShowAudience.wideState) and followed, read-only, by the other nodes that hold its viewers'
 * sockets. Small (well under a kilobyte without a poll), so it travels whole on every change.
 */
export interface ShowWideState {
  /** The origin node that wrote it. */
  node: string;
  /** When the show's audience opened: sponsor pacing counts from it. */
  startedAtMs: number;
  topic?: string;
  shared?: OverlayMessage;
  stage?: { faceSafeArea?: Rect; nameStrap?: Rect; frame: { width: number; height: number } };
  clock: StreamClockSync | null;
  /** The wall clock of stream time 0 (join replies carry it). */
  streamEpochMs?: number;
  /** The open poll, or the last one closed. */
  poll?: { id: string; request: PollRequest; closesAt: number; tallies: number[]; result?: PollResult };
  /** The rollout as the origin runs it: assignment reads the stage, the SRM count the stage's start. */
  rollout: { stageIndex: number; paused: boolean; pausedReason?: string; stageStartedAtMs: number };
  /** The show ended (or left this cluster): followers drop it. */
  ended?: boolean;
}

/** A state as a follower read it: the sequence number orders states across origins (a takeover continues it). */
export interface SequencedState {
  seq: number;
  state: ShowWideState;
}

/** Parses what the origin wrote; undefined for anything that is not a state (never thrown). */
export function parseWideState(json: string): ShowWideState | undefined {
  try {
    const value = JSON.parse(json) as ShowWideState;
    if (typeof value !== 'object' || value === null || typeof value.node !== 'string' || typeof value.startedAtMs !== 'number') return undefined;
    if (typeof value.rollout !== 'object' || value.rollout === null || !Number.isInteger(value.rollout.stageIndex)) return undefined;
    return value;
  } catch {
    return undefined;
  }
}
