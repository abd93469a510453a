import { el } from '/client/common/api.js';

const $ = (id) => document.getElementById(id);
const percent = (x) => (x === null || x === undefined ? '–' : `${(x * 100).toFixed(1)}%`);
/** A difference of two rates, in percentage points. */
const points = (x) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(2)} pp`;

/**
 * The host's audience panel: polls, a shared overlay for everyone, and the experiment's live
 * figures (CTR by arm with intervals, holdout lift, decision latency, rollout stage).
 */
export function attachAudience({ api, socket, selected }) {
  const fail = (error) => {
    $('audience-error').hidden = !error;
    $('audience-error').textContent = error ? `${error.code}: ${error.message}` : '';
  };
  const call = (method, path, body) => api.call(method, `/api/shows/${selected()}${path}`, body).then((r) => (fail(null), r), fail);
  let openPoll = null;

  $('poll-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const options = $('poll-options').value.split('\n').map((l) => l.trim()).filter(Boolean).map((label) => ({ label }));
    const poll = await call('POST', '/polls', { question: $('poll-question').value.trim(), options, durationMs: Number($('poll-seconds').value) * 1000 });
    if (poll) renderPoll(poll);
  });
  $('poll-close').addEventListener('click', () => openPoll && call('POST', `/polls/${openPoll}/close`));

  // The host writes in one language and may add the other: each viewer sees its own (or the host's words).
  const LANGUAGE_NAMES = { en: 'English', es: 'Spanish' };
  const otherLanguage = () => ($('overlay-language').value === 'en' ? 'es' : 'en');
  $('overlay-language').addEventListener('change', () => {
    $('overlay-translation-headline').placeholder = `Headline in ${LANGUAGE_NAMES[otherLanguage()]} (optional)`;
    $('overlay-translation-action').placeholder = `Button in ${LANGUAGE_NAMES[otherLanguage()]}`;
  });
  $('overlay-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const action = $('overlay-action').value.trim();
    const link = $('overlay-link').value.trim();
    const translated = $('overlay-translation-headline').value.trim();
    const translatedAction = $('overlay-translation-action').value.trim();
    void call('PUT', '/overlays/shared', {
      placement: $('overlay-placement').value,
      headline: $('overlay-headline').value.trim(),
      ...(action && { action }),
      ...(link && { link }),
      language: $('overlay-language').value,
      ...(translated && { translations: { [otherLanguage()]: { headline: translated, ...(translatedAction && { action: translatedAction }) } } }),
    });
  });
  $('overlay-clear').addEventListener('click', () => call('DELETE', '/overlays/shared'));
  $('topic-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const set = await call('PUT', '/topic', { topic: $('show-topic').value.trim() });
    if (set) renderTopic(set.topic);
  });
  // Every viewer's own CTA, now: each viewer's engine decides under its usual rules.
  $('cta-moment').addEventListener('click', async () => {
    const moment = await call('POST', '/cta-moment', {});
    if (moment) $('cta-moment-result').textContent = `CTA moment: ${moment.shown} of ${moment.viewers} viewers got a CTA`;
  });

  function renderTopic(topic) {
    $('topic-current').textContent = topic ? `topic: ${topic}` : 'no topic';
    $('topic-current').dataset.topic = topic ?? '';
  }
  for (const step of ['advance', 'pause', 'resume']) $(`rollout-${step}`).addEventListener('click', () => call('POST', `/experiment/${step}`, {}));

  function renderPoll(poll) {
    openPoll = poll.state === 'open' ? poll.id : null;
    const rows = poll.options.map((label, i) =>
      el('li', { 'data-option': String(i) }, el('span', { text: label }), el('span', { class: 'tally', text: `${poll.tallies[i]} (${poll.total ? Math.round((poll.tallies[i] * 100) / poll.total) : 0}%)` })),
    );
    const status = poll.state === 'open' ? `open · ${poll.total} votes` : `closed · winner ${poll.result?.label ?? '–'} (${poll.result?.percent ?? 0}%)`;
    $('poll-tallies').replaceChildren(el('li', { class: 'question', text: `${poll.question} — ${status}` }), ...rows);
    $('poll-tallies').dataset.state = poll.state;
  }

  function renderSnapshot(snapshot) {
    const { arms, holdoutLift, latency, rollout } = snapshot;
    renderTopic(snapshot.topic);
    $('arms').tBodies[0].replaceChildren(
      ...Object.entries(arms).map(([arm, m]) =>
        el(
          'tr',
          { 'data-arm': arm },
          ...[arm, m.viewers, m.impressions, m.clicks, `${percent(m.ctr)} (${percent(m.ctrCi95[0])}–${percent(m.ctrCi95[1])})`, m.cost.perSuccessfulAction === null ? '–' : `$${m.cost.perSuccessfulAction.toFixed(5)}`].map((v) => el('td', { text: String(v) })),
        ),
      ),
    );
    $('lift').textContent = holdoutLift.lift === null ? `Holdout lift: ${holdoutLift.note ?? 'not enough data'}` : `Holdout lift: ${percent(holdoutLift.lift)} (${percent(holdoutLift.ci95[0])}–${percent(holdoutLift.ci95[1])})`;
    $('decision-latency').textContent = latency.count ? `Decisions: ${latency.count} · p50 ${latency.p50.toFixed(2)} ms · p95 ${latency.p95.toFixed(2)} ms · p99 ${latency.p99.toFixed(2)} ms` : 'Decisions: none yet';
    $('rollout').textContent = `${rollout.percent}% on ${rollout.treatment}${rollout.paused ? ` · paused: ${rollout.pausedReason}` : ''}`;
    $('rollout').dataset.paused = String(rollout.paused);
    renderGuardrail(rollout.guardrail);
  }

  /** The sequential CTR test (evidence against 1/α) and the sample-ratio check of the stage's viewers. */
  function renderGuardrail(guardrail) {
    const test = guardrail?.ctrTest;
    $('guardrail').textContent = !test
      ? 'Guardrail: waiting for enough impressions'
      : `Guardrail: treatment − control ${points(test.difference)} · evidence of a drop ${test.evidence.toPrecision(3)} (pauses at ${test.threshold.toFixed(0)}, α ${test.alpha})`;
    $('guardrail').dataset.status = guardrail?.cause === 'ctr' ? 'breached' : (guardrail?.status ?? 'insufficient_data');
    const srm = guardrail?.srm;
    const arms = srm ? Object.keys(srm.expected).filter((arm) => srm.expected[arm] > 0 || srm.observed[arm] > 0) : [];
    const split = arms.map((arm) => `${arm} ${srm.observed[arm]} (${Math.round(srm.expected[arm] * 1000) / 10}%)`).join(' · ');
    $('srm').textContent = !srm || srm.status === 'insufficient_data'
      ? `Sample ratio: too few viewers in this stage${split ? ` (${split})` : ''}`
      : `Sample ratio ${srm.status === 'mismatch' ? 'MISMATCH' : 'ok'}: ${split} · p ${srm.pValue < 1e-4 ? srm.pValue.toExponential(1) : srm.pValue.toFixed(4)} (flags below ${srm.threshold})`;
    $('srm').dataset.status = srm?.status ?? 'insufficient_data';
  }

  socket.on('poll', (poll) => poll.showId === selected() && renderPoll(poll));
  socket.on('audience', (snapshot) => snapshot.showId === selected() && renderSnapshot(snapshot));
  return {
    renderPoll,
    clear: () => {
      $('poll-tallies').replaceChildren();
      $('cta-moment-result').textContent = '';
      renderTopic(undefined);
    },
  };
}
