import { el } from '/client/common/api.js';

const $ = (id) => document.getElementById(id);

/**
 * The host's rundown panel: the selected show's segments with prep readiness, where the
 * autopilot is (live over the socket's `rundown` events), and its controls: start, pause,
 * resume, skip, jump, insert a line or a prompt, stop. Interrupt is the presenter's button.
 */
export function attachRundown({ api, socket, selected }) {
  let rundown = null;
  let autopilot = null;
  const fail = (error) => {
    $('rundown-error').hidden = !error;
    $('rundown-error').textContent = error ? `${error.code}: ${error.message}` : '';
  };
  const control = async (action, body) => {
    try {
      const reply = await api.call('POST', `/api/shows/${selected()}/rundown/${action}`, body);
      fail(null);
      if (reply?.autopilot) render(reply.autopilot);
      return reply;
    } catch (error) {
      fail(error);
    }
  };

  for (const action of ['start', 'pause', 'resume', 'skip', 'stop']) {
    $(`rundown-${action}`).addEventListener('click', () =>
      control(action, action === 'start' ? {} : undefined),
    );
  }
  $('rundown-jump').addEventListener(
    'click',
    () => $('rundown-segment').value && control('jump', { segment: $('rundown-segment').value }),
  );
  $('rundown-insert-say').addEventListener('click', async () => {
    const text = $('rundown-insert').value.trim();
    if (text && (await control('insert', { text }))) $('rundown-insert').value = '';
  });
  $('rundown-insert-prompt').addEventListener('click', async () => {
    const prompt = $('rundown-insert').value.trim();
    if (prompt && (await control('insert', { prompt }))) $('rundown-insert').value = '';
  });

  socket.on('rundown', ({ showId, autopilot: view }) => {
    if (showId !== selected()) return;
    if (view === null) void load(showId);
    else render(view);
  });

  /** The selected show's rundown, readiness and autopilot, from the API. */
  async function load(showId) {
    try {
      const answer = await api.call('GET', `/api/shows/${showId}/rundown`);
      if (showId !== selected()) return;
      fail(null);
      rundown = answer.rundown;
      renderSegments(answer.prep);
      render(answer.autopilot);
    } catch (error) {
      rundown = null;
      renderSegments(null);
      render(null);
      if (error.code !== 'SHOW_HAS_NO_PRESENTER') fail(error);
    }
  }

  function renderSegments(prep) {
    const list = $('rundown-segments');
    const select = $('rundown-segment');
    if (!rundown) {
      list.replaceChildren(el('li', { text: 'No rundown: the producer page sets one.' }));
      select.replaceChildren();
      return;
    }
    list.replaceChildren(
      ...rundown.segments.map((segment, index) => {
        const ready = prep?.segments[index];
        return el(
          'li',
          { 'data-segment-id': segment.id, 'data-index': String(index) },
          el('span', { class: 'title', text: segment.title }),
          el('span', {
            class: 'pill prep',
            'data-ready': String(Boolean(ready?.ready)),
            text: ready
              ? `prep ${ready.cached}/${ready.lines}${ready.clips ? ` · clips ${ready.rendered}/${ready.clips}` : ''}`
              : 'prep ?',
          }),
        );
      }),
    );
    select.replaceChildren(
      ...rundown.segments.map((segment) =>
        el('option', { value: segment.id, text: segment.title }),
      ),
    );
  }

  function render(view) {
    autopilot = view;
    const state = view?.state ?? 'idle';
    $('rundown-state').textContent = view
      ? `${state}${view.line ? ` · “${view.line}”` : ''}`
      : 'idle';
    $('rundown-state').dataset.state = state;
    for (const item of $('rundown-segments').querySelectorAll('li[data-index]')) {
      const index = Number(item.dataset.index);
      item.classList.toggle(
        'current',
        view !== null &&
          (state === 'playing' || state === 'paused') &&
          index === view.position.segment,
      );
      item.classList.toggle('done', view !== null && index < view.position.segment);
    }
    const active = state === 'playing' || state === 'paused';
    $('rundown-start').disabled = !rundown || active;
    $('rundown-pause').disabled = state !== 'playing';
    $('rundown-resume').disabled = state !== 'paused';
    for (const id of [
      'rundown-skip',
      'rundown-stop',
      'rundown-jump',
      'rundown-insert-say',
      'rundown-insert-prompt',
    ])
      $(id).disabled = !active;
  }

  return {
    load,
    clear: () => ((rundown = null), renderSegments(null), render(null)),
    get autopilot() {
      return autopilot;
    },
  };
}
