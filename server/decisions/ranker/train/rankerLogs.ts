import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { RankerLogError } from '../../decisionErrors.js';
import {
  DECISION_TRIGGERS,
  DEVICE_CLASSES,
  PLACEMENTS,
  REFERRER_CLASSES,
  type DecisionContext,
  type Placement,
} from '../../types.js';

/**
 * One logged decision and its outcome, a line of the JSONL training logs (docs/decisions.md).
 * `candidates` are the template ids the rules left eligible; `action` is one of them or
 * `none`; `propensity` is the logging policy's probability of that action.
 */
export interface LoggedDecision {
  context: DecisionContext;
  candidates: string[];
  noneAllowed: boolean;
  action: string;
  placement: Placement;
  propensity: number;
  clicked: 0 | 1;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const oneOf = (list: readonly string[], v: unknown) => typeof v === 'string' && list.includes(v);

function contextProblem(context: unknown): string | undefined {
  if (!isRecord(context)) return 'context must be an object';
  const { join, session, show } = context;
  if (!isRecord(join) || !isRecord(session) || !isRecord(show))
    return 'context needs join, session and show';
  if (!oneOf(DEVICE_CLASSES, join.device)) return 'unknown device';
  if (!oneOf(REFERRER_CLASSES, join.referrer)) return 'unknown referrer';
  if (typeof join.language !== 'string' || typeof join.region !== 'string')
    return 'bad language or region';
  if (!oneOf(DECISION_TRIGGERS, context.trigger)) return 'unknown trigger';
  for (const key of ['watchMs', 'engagement', 'ctasShown', 'ctasClicked']) {
    if (!Number.isFinite(session[key])) return `session.${key} must be a number`;
  }
  for (const key of ['shownByTemplate', 'clickedByTemplate']) {
    if (!isRecord(session[key])) return `session.${key} must be an object`;
  }
  if (!Array.isArray(session.topicsSeen)) return 'session.topicsSeen must be a list';
  return undefined;
}

function rowProblem(row: unknown): string | undefined {
  if (!isRecord(row)) return 'not an object';
  const { candidates, action, propensity, clicked } = row;
  if (
    !Array.isArray(candidates) ||
    candidates.length === 0 ||
    !candidates.every((c) => typeof c === 'string')
  ) {
    return 'candidates must be a non-empty list of template ids';
  }
  if (typeof row.noneAllowed !== 'boolean') return 'noneAllowed must be a boolean';
  if (!(candidates.includes(action as string) || (action === 'none' && row.noneAllowed)))
    return 'action is not a candidate';
  if (!oneOf(PLACEMENTS, row.placement)) return 'unknown placement';
  if (typeof propensity !== 'number' || !(propensity > 0 && propensity <= 1))
    return 'propensity must be in (0, 1]';
  if (clicked !== 0 && clicked !== 1) return 'clicked must be 0 or 1';
  return contextProblem(row.context);
}

export function parseLogs(text: string, source = 'logs'): LoggedDecision[] {
  const rows: LoggedDecision[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new RankerLogError('RANKER_LOG_BAD_JSON', `${source}:${i + 1}: not JSON`);
    }
    const problem = rowProblem(row);
    if (problem) throw new RankerLogError('RANKER_LOG_BAD_ROW', `${source}:${i + 1}: ${problem}`);
    rows.push(row as LoggedDecision);
  });
  if (rows.length === 0)
    throw new RankerLogError('RANKER_LOG_EMPTY', `${source}: no logged decisions`);
  return rows;
}

/** Reads JSONL, gzipped or not (told apart by the gzip magic bytes). */
export function readLogs(file: string): LoggedDecision[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new RankerLogError('RANKER_LOG_UNREADABLE', `${file}: ${(error as Error).message}`);
  }
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
  return parseLogs((gzipped ? gunzipSync(bytes) : bytes).toString('utf8'), file);
}

export function logsToJsonl(rows: readonly LoggedDecision[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

export function writeLogs(file: string, rows: readonly LoggedDecision[]): void {
  const text = logsToJsonl(rows);
  writeFileSync(file, file.endsWith('.gz') ? gzipSync(text, { level: 9 }) : text);
}
