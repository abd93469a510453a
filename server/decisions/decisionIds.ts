import { randomBytes } from 'node:crypto';

/** Unique decision ids without a random draw per decision: a per-process prefix and a counter. */
export function decisionIdSource(): () => string {
  const prefix = randomBytes(6).toString('base64url');
  let counter = 0;
  return () => `d-${prefix}-${(++counter).toString(36)}`;
}
