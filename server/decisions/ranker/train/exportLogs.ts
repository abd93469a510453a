/**
 * npm run export:ranker-logs -- --show <id> [--show <id> …] [--out <file.jsonl[.gz]>]
 * Writes the ranked decisions of shows, joined with their clicks, from the decision audit in
 * Redis (REDIS_URL, AUDIENCE_PREFIX) as training logs for `npm run train:ranker -- --logs`.
 */
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { AuditLog } from '../../../audit/AuditLog.js';
import { loadConfig } from '../../../config.js';
import { auditToLogs } from './auditToLogs.js';
import { writeLogs } from './rankerLogs.js';

const { values: args } = parseArgs({
  options: {
    show: { type: 'string', multiple: true, default: [] },
    out: { type: 'string', default: 'var/ranker-logs.jsonl.gz' },
  },
});
if (args.show.length === 0) {
  console.error('usage: npm run export:ranker-logs -- --show <showId> [--show …] [--out file.jsonl.gz]');
  process.exit(2);
}
const config = loadConfig();
const redis = new Redis(config.redisUrl ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 2 });
const audit = new AuditLog(redis, { prefix: config.audience.prefix });
const rows = [];
for (const show of args.show) {
  const logged = await auditToLogs(audit.exportShow(show));
  console.log(`show ${show}: ${logged.length} ranked decisions, ${logged.filter((r) => r.clicked).length} clicked`);
  rows.push(...logged);
}
writeLogs(args.out, rows);
console.log(`${rows.length} rows → ${args.out}`);
await audit.close();
redis.disconnect();
