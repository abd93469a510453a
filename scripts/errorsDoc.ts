/**
 * Writes docs/errors.md from the error catalogue (server/http/errorStatus.ts), so the docs
 * cannot drift from the table; test/unit/errorStatus.test.ts checks they agree.
 * Usage: npx tsx scripts/errorsDoc.ts
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT_DIR } from '../lib/paths.js';
import { ERROR_SECTIONS } from '../server/http/errorStatus.js';

export const ERRORS_DOC = path.join(ROOT_DIR, 'docs', 'errors.md');

export function renderErrorsDoc(): string {
  const lines = [
    '# Error codes',
    '',
    '<!-- Generated from server/http/errorStatus.ts by `npx tsx scripts/errorsDoc.ts`; edit the table there, not this file. -->',
    '',
    'Every failure leaves the HTTP API as `{"error": {"code": "…", "message": "…"}}` with the status',
    'below, and a socket acknowledgement as `{"ok": false, "error": {"code": "…", "message": "…"}}`:',
    'a socket has no status, the code is the contract. The message is for people and may change;',
    'a 5xx carries the code and "internal error", the details stay in the server log.',
    '',
    '*Caused by*: **client** — a request or socket event alone can cause it (and',
    '`test/integration/errorCodes.test.ts` does); **server** — only the server’s own state, files,',
    'configuration or faults cause it, or it never answers a request.',
  ];
  for (const [section, codes] of Object.entries(ERROR_SECTIONS)) {
    lines.push('', `## ${section}`, '', '| Code | Status | Caused by | Meaning |', '|---|---|---|---|');
    for (const [code, { status, source, meaning }] of Object.entries(codes)) lines.push(`| \`${code}\` | ${status} | ${source} | ${meaning.replaceAll('|', '\\|')} |`);
  }
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) writeFileSync(ERRORS_DOC, renderErrorsDoc());
