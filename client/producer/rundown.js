import { el } from '/client/common/api.js';

const $ = (id) => document.getElementById(id);

/** A rundown to start from: one segment, English and Spanish lines, a poll. */
const EXAMPLE = {
  linePauseMs: 600,
  segmentPauseMs: 1500,
  segments: [
    {
      id: 'open',
      title: 'Welcome',
      talkingPoints: ['who we are'],
      lines: { en: ['Good evening and welcome.'], es: ['Buenas noches y bienvenidos.'] },
      poll: {
        question: 'What next?',
        options: [{ label: 'Lenses', next: 'close' }, { label: 'Bodies' }],
        durationMs: 20000,
      },
    },
    {
      id: 'close',
      title: 'Goodbye',
      lines: { en: ['Thanks for watching.'], es: ['Gracias por vernos.'] },
    },
  ],
};

/**
 * The producer's rundown editor: pick a live show, edit its rundown as JSON, save it (the
 * server checks it and answers a stable code per problem), run show prep of every line, and
 * see per segment how many lines the voice cache holds.
 */
export async function initRundown({ api, track }) {
  const fail = (error) => {
    $('rundown-error').hidden = !error;
    $('rundown-error').textContent = error ? `${error.code}: ${error.message}` : '';
  };
  const showId = () => $('rundown-show').value;

  async function refreshShows() {
    const { shows } = await api.call('GET', '/api/shows');
    const current = showId();
    $('rundown-show').replaceChildren(
      ...shows.filter((s) => s.presenter).map((s) => el('option', { value: s.id, text: s.title })),
    );
    if (current) $('rundown-show').value = current;
  }

  async function load() {
    if (!showId()) return;
    try {
      const answer = await api.call('GET', `/api/shows/${showId()}/rundown`);
      fail(null);
      if (answer.rundown && $('rundown-json').dataset.show !== showId())
        $('rundown-json').value = JSON.stringify(answer.rundown, null, 2);
      else if (!answer.rundown && !$('rundown-json').value)
        $('rundown-json').value = JSON.stringify(EXAMPLE, null, 2);
      $('rundown-json').dataset.show = showId();
      renderReadiness(answer);
    } catch (error) {
      fail(error);
    }
  }

  function renderReadiness({ prep, autopilot }) {
    $('rundown-status').textContent = autopilot ? `autopilot ${autopilot.state}` : 'autopilot idle';
    $('rundown-readiness').replaceChildren(
      ...(prep?.segments ?? []).map((segment) =>
        el(
          'li',
          { 'data-segment-id': segment.id },
          el('span', { class: 'title', text: segment.title }),
          el('span', {
            class: 'pill',
            'data-ready': String(segment.ready),
            text: `${segment.cached}/${segment.lines} cached${segment.clips ? `, ${segment.rendered}/${segment.clips} clips` : ''}`,
          }),
        ),
      ),
    );
  }

  $('rundown-show').addEventListener('change', () => {
    $('rundown-json').value = '';
    void load();
  });
  $('rundown-save').addEventListener('click', async () => {
    let body;
    try {
      body = JSON.parse($('rundown-json').value);
    } catch (error) {
      return fail({ code: 'INVALID_JSON', message: error.message });
    }
    try {
      await api.call('PUT', `/api/shows/${showId()}/rundown`, body);
      fail(null);
      $('rundown-json').dataset.show = '';
      await load();
    } catch (error) {
      fail(error);
    }
  });
  $('rundown-prep').addEventListener('click', async () => {
    try {
      track(await api.call('POST', `/api/shows/${showId()}/rundown/prep`));
      fail(null);
    } catch (error) {
      fail(error);
    }
  });
  $('rundown-refresh').addEventListener('click', () => void refreshShows().then(load, fail));

  await refreshShows().then(load, fail);
  // Readiness fills in as the prep's jobs finish.
  setInterval(() => void load(), 3000);
  return { load, refreshShows };
}
