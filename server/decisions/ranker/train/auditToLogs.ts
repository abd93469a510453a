import type { AuditRow } from '../../../audit/auditRows.js';
import type { LoggedDecision } from './rankerLogs.js';

/**
 * Turns a show's audit (oldest first) into training rows: every ranked decision that kept its
 * context, labelled clicked when a click outcome names it. The viewer id and campaign tags
 * are left out: a training file is not a viewer's data.
 */
export async function auditToLogs(rows: AsyncIterable<AuditRow>): Promise<LoggedDecision[]> {
  const logged = new Map<string, LoggedDecision>();
  for await (const row of rows) {
    if (row.kind === 'outcome') {
      const decision = logged.get(row.decisionId);
      if (decision && row.outcome === 'click') decision.clicked = 1;
      continue;
    }
    if (!row.ranked || !row.context?.session) continue;
    const { utmSource: _source, utmCampaign: _campaign, ...join } = row.context.join;
    logged.set(row.id, {
      context: { ...row.context, viewerId: 'anonymous', join },
      candidates: row.ranked.candidates,
      noneAllowed: row.ranked.noneAllowed,
      action: row.templateId ?? 'none',
      placement: row.placement,
      propensity: row.propensity,
      clicked: 0,
    });
  }
  return [...logged.values()];
}
