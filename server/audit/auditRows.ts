import { ARMS, DECISION_TIERS, DECISION_TRIGGERS, PLACEMENTS, type Decision, type DecisionContext } from '../decisions/types.js';
import { InvalidAuditRowError } from './errors.js';

export const OUTCOMES = ['impression', 'click', 'dismiss', 'conversion'] as const;
export type AuditOutcome = (typeof OUTCOMES)[number];

export interface AuditDecisionRow extends Decision {
  kind: 'decision';
  /** The stream entry id, `<ms>-<seq>`. */
  entryId: string;
  /** What the ranker saw, for ranked decisions: with `ranked` and the outcomes it is a training row. */
  context?: DecisionContext;
  /** The cluster node that made the decision (the one holding the viewer's socket). */
  node?: string;
}

export interface AuditOutcomeRow {
  kind: 'outcome';
  entryId: string;
  showId: string;
  viewerId: string;
  decisionId: string;
  outcome: AuditOutcome;
  atMs: number;
}

export type AuditRow = AuditDecisionRow | AuditOutcomeRow;
/** A row before Redis gave it an entry id. */
export type PendingAuditRow = Omit<AuditDecisionRow, 'entryId'> | Omit<AuditOutcomeRow, 'entryId'>;

export const AUDIT_ID = /^[\w.:-]{1,128}$/;
const ARM_NAMES: readonly string[] = ARMS;
const TIERS: readonly string[] = DECISION_TIERS;
const TRIGGERS: readonly string[] = DECISION_TRIGGERS;

export function checkIds(showId: unknown, viewerId: unknown, rowId: unknown): void {
  for (const [name, value] of [
    ['showId', showId],
    ['viewerId', viewerId],
    ['decision id', rowId],
  ] as const) {
    if (typeof value !== 'string' || !AUDIT_ID.test(value))
      throw new InvalidAuditRowError(`bad ${name} ${JSON.stringify(value)}`);
  }
}

/** Stream entry fields: `k` the kind, `r` the body: the row as JSON without kind and entry id. */
export function encodeRow(row: PendingAuditRow): { kind: string; body: string } {
  const { kind, ...rest } = row;
  return { kind, body: JSON.stringify(rest) };
}

/** Undefined for an entry that is not a well-formed row (skipped, never thrown). */
export function parseEntry(entryId: string, fields: string[]): AuditRow | undefined {
  const kind = fieldOf(fields, 'k');
  let body: unknown;
  try {
    body = JSON.parse(fieldOf(fields, 'r') ?? '');
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const row = { ...(body as Record<string, unknown>), kind, entryId };
  if (kind === 'decision') return isDecisionRow(row) ? row : undefined;
  if (kind === 'outcome') return isOutcomeRow(row) ? row : undefined;
  return undefined;
}

function fieldOf(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const optional = (v: unknown, check: (v: unknown) => boolean) => v === undefined || check(v);
const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

function isDecisionRow(
  row: Record<string, unknown>,
): row is Record<string, unknown> & AuditDecisionRow {
  return (
    isString(row.id) &&
    isString(row.showId) &&
    isString(row.viewerId) &&
    isNumber(row.atMs) &&
    TRIGGERS.includes(row.trigger as string) &&
    (PLACEMENTS as readonly unknown[]).includes(row.placement) &&
    TIERS.includes(row.tier as string) &&
    ARM_NAMES.includes(row.arm as string) &&
    isNumber(row.propensity) &&
    Array.isArray(row.rulesFired) &&
    row.rulesFired.every(isString) &&
    isNumber(row.latencyMs) &&
    optional(row.templateId, isString) &&
    optional(row.modelVersion, isString) &&
    optional(row.score, isNumber) &&
    optional(row.fallbackReason, isString) &&
    optional(row.context, isObject) &&
    optional(row.node, isString)
  );
}

function isOutcomeRow(
  row: Record<string, unknown>,
): row is Record<string, unknown> & AuditOutcomeRow {
  return (
    isString(row.showId) &&
    isString(row.viewerId) &&
    isString(row.decisionId) &&
    OUTCOMES.includes(row.outcome as AuditOutcome) &&
    isNumber(row.atMs)
  );
}
