// The producer page's recordings: list, play with hls.js (the token goes in a header, never
// in a URL), the sidecar's chapters and overlay timeline as markers under the video, and
// what was on screen drawn over it as the playhead passes. Page data is set as text only.
import { el } from '/client/common/api.js';
import { activeAt, describe, markers } from './recordingTimeline.js';

const HLS_MODULE = '/vendor/hls.min.mjs';
const REFRESH_MS = 5_000;

export function initRecordings({ api, token, attempt }) {
  const list = document.getElementById('recordings');
  const video = document.getElementById('recording-video');
  const overlay = document.getElementById('recording-overlay');
  const bar = document.getElementById('recording-bar');
  const playhead = document.getElementById('recording-playhead');
  const chapterList = document.getElementById('recording-chapters');
  let hls = null;
  let playing = null; // { id, sidecar }

  async function refresh() {
    const { recordings } = await api.call('GET', '/api/recordings');
    list.replaceChildren(...recordings.map(renderRecording));
  }

  function renderRecording(recording) {
    const when = new Date(recording.startedAt).toLocaleString();
    return el(
      'li',
      { 'data-recording': recording.id, 'data-state': recording.state },
      el('span', { class: 'label', text: `${recording.title} — ${when}` }),
      el('span', { class: 'pill state', text: recording.state }),
      el('span', { class: 'pill', text: `${formatMs(recording.durationMs)} · ${(recording.bytes / 1e6).toFixed(1)} MB` }),
      el('button', { type: 'button', class: 'play', text: 'Play', onclick: () => attempt(() => play(recording.id)) }),
      el('button', { type: 'button', class: 'danger delete', text: 'Delete', onclick: () => attempt(() => remove(recording.id)) }),
    );
  }

  async function play(id) {
    const { sidecar, ...summary } = await api.call('GET', `/api/recordings/${id}`);
    playing = { id, sidecar: sidecar ?? { chapters: [], timeline: [], durationMs: summary.durationMs } };
    const { default: Hls } = await import(HLS_MODULE);
    hls?.destroy();
    // The playlists are fMP4: nothing to transmux in a worker, and the CSP allows no blob: workers.
    hls = new Hls({ enableWorker: false, xhrSetup: (xhr) => xhr.setRequestHeader('authorization', `Bearer ${token}`) });
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (data.fatal) attempt(() => Promise.reject(Object.assign(new Error(`playback: ${data.details}`), { code: 'PLAYBACK_FAILED' })));
    });
    hls.loadSource(`/recordings/${id}/index.m3u8`);
    hls.attachMedia(video);
    video.dataset.recording = id;
    drawTimeline(playing.sidecar, summary.durationMs);
    drawActive();
    await video.play().catch(() => undefined);
  }

  async function remove(id) {
    if (playing?.id === id) stop();
    await api.call('DELETE', `/api/recordings/${id}`);
    await refresh();
  }

  function stop() {
    hls?.destroy();
    hls = null;
    playing = null;
    video.removeAttribute('src');
    delete video.dataset.recording;
    bar.replaceChildren(playhead);
    chapterList.replaceChildren();
    drawActive();
  }

  function drawTimeline(sidecar, durationMs) {
    const span = Math.max(durationMs, 1);
    const items = markers(sidecar).map((marker) => {
      const node = el('button', { type: 'button', class: 'marker', 'data-type': marker.type, title: marker.label, 'aria-label': marker.label, onclick: () => seek(marker.atMs) });
      // CSSOM, not a style attribute: the page's CSP allows no inline styles.
      node.style.left = `${Math.min(100, (marker.atMs / span) * 100)}%`;
      return node;
    });
    bar.replaceChildren(...items, playhead);
    chapterList.replaceChildren(
      ...sidecar.chapters.map((chapter) =>
        el('li', { 'data-cue': chapter.cueId, 'data-at': String(chapter.atMs), onclick: () => seek(chapter.atMs) }, el('span', { class: 'pill', text: formatMs(chapter.atMs) }), el('span', { text: chapter.text || chapter.prompt || '' })),
      ),
    );
  }

  function seek(atMs) {
    video.currentTime = atMs / 1000;
  }

  /** What the sidecar says was on screen at the playhead, over the video. */
  function drawActive() {
    const sidecar = playing?.sidecar;
    const atMs = video.currentTime * 1000;
    const active = sidecar ? activeAt(sidecar, atMs) : { overlay: null, poll: null, offers: [], chapter: null };
    playhead.style.left = `${sidecar ? Math.min(100, (atMs / Math.max(sidecar.durationMs, 1)) * 100) : 0}%`;
    const cards = [];
    if (active.overlay) cards.push(el('div', { class: 'card overlay-card', 'data-type': 'overlay' }, el('strong', { text: active.overlay.headline ?? '' }), el('span', { text: active.overlay.body ?? '' })));
    if (active.poll) {
      const { question, options, tallies, closed } = active.poll;
      cards.push(
        el(
          'div',
          { class: 'card poll-card', 'data-type': 'poll', 'data-poll': active.poll.pollId },
          el('strong', { text: question }),
          ...options.map((option, i) => el('span', { text: `${option}: ${tallies[i] ?? 0}` })),
          ...(closed ? [el('em', { text: describe(closed) })] : []),
        ),
      );
    }
    for (const offer of active.offers) cards.push(el('div', { class: 'card offer-card', 'data-type': 'offer' }, el('span', { text: describe(offer) })));
    overlay.replaceChildren(...cards);
    overlay.hidden = cards.length === 0;
    for (const item of chapterList.children) item.classList.toggle('current', item.dataset.cue === active.chapter?.cueId);
  }

  video.addEventListener('timeupdate', drawActive);
  video.addEventListener('seeked', drawActive);
  setInterval(() => void refresh().catch(() => undefined), REFRESH_MS);
  return refresh();
}

function formatMs(ms) {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
