import { ApiClient, el, takeToken } from '/client/common/api.js';
import { initRecordings } from '/client/producer/recordings.js';
import { initRundown } from '/client/producer/rundown.js';

const token = takeToken('producer');
const api = new ApiClient(token);
const socket = window.io('/producer', { auth: { token } });
const jobs = new Map(); // `${queue}/${id}` → status
const jobList = document.getElementById('jobs');
const assetList = document.getElementById('assets');
const errorLine = document.getElementById('error');
const preview = document.getElementById('preview');
const live = document.getElementById('live');

function showError(error) {
  errorLine.hidden = !error;
  errorLine.textContent = error ? `${error.code}: ${error.message}` : '';
}

async function attempt(action) {
  try {
    showError(null);
    return await action();
  } catch (error) {
    showError(error);
  }
}

function track(status) {
  jobs.set(`${status.queue}/${status.id}`, status);
  renderJobs();
}

function renderJobs() {
  const items = [...jobs.values()].sort((a, b) => b.createdAt - a.createdAt).slice(0, 50);
  jobList.replaceChildren(...items.map(renderJob));
}

function jobLabel(job) {
  const data = job.data ?? {};
  if (job.queue === 'clip-render') return `${data.name}: ${data.text}`;
  if (job.queue === 'voice-cache') return `${data.phrases?.length ?? 0} phrases for ${data.persona}`;
  if (job.queue === 'rig-prewarm') return `rig for ${data.persona} at ${(data.resolutions ?? []).join(', ')}`;
  return `show prep${data.showId ? ` for ${data.showId}` : ''}${job.children ? ` · ${job.children.done}/${job.children.total} done` : ''}`;
}

function renderJob(job) {
  const key = `${job.queue}/${job.id}`;
  const actions = [];
  if (job.state === 'failed') actions.push(el('button', { type: 'button', text: 'Retry', onclick: () => attempt(async () => track(await api.call('POST', `/api/jobs/${key}/retry`))) }));
  if (!['completed', 'failed'].includes(job.state)) actions.push(el('button', { type: 'button', class: 'danger', text: 'Cancel', onclick: () => attempt(() => cancel(job)) }));
  if (job.state === 'completed' && job.queue === 'clip-render') actions.push(el('button', { type: 'button', class: 'preview-button', text: 'Preview', onclick: () => attempt(() => play(job.result.asset)) }));
  return el(
    'li',
    { 'data-job': key, 'data-state': job.state },
    el('span', { class: 'label', text: `${job.queue} #${job.id} — ${jobLabel(job)}` }),
    el('span', { class: 'pill state', text: job.state }),
    el('progress', { max: '100', value: String(job.progress ?? 0) }),
    el('span', { class: 'percent', text: `${job.progress ?? 0}%` }),
    ...(job.failedReason ? [el('span', { class: 'error', text: job.failedReason })] : []),
    ...actions,
  );
}

async function cancel(job) {
  await api.call('DELETE', `/api/jobs/${job.queue}/${job.id}`);
  await refreshJob(job.queue, job.id);
}

async function refreshJob(queue, id) {
  const status = await api.call('GET', `/api/jobs/${queue}/${id}`).catch(() => null);
  if (status) track(status);
  else if (jobs.delete(`${queue}/${id}`)) renderJobs();
}

async function play(assetKey) {
  const response = await fetch(`/api/assets/${assetKey}/preview`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw Object.assign(new Error(`preview failed (HTTP ${response.status})`), { code: 'PREVIEW_FAILED' });
  if (preview.src) URL.revokeObjectURL(preview.src);
  preview.src = URL.createObjectURL(await response.blob());
  preview.dataset.asset = assetKey;
  await preview.play().catch(() => undefined);
}

async function refreshAssets() {
  const { assets, totalBytes, maxBytes } = await api.call('GET', '/api/assets');
  assetList.replaceChildren(
    el('li', { text: `${(totalBytes / 1e6).toFixed(1)} MB of ${(maxBytes / 1e6).toFixed(0)} MB` }),
    ...assets.map((asset) =>
      el(
        'li',
        { 'data-asset': asset.key },
        el('span', { class: 'label', text: asset.label }),
        el('span', { class: 'pill', text: `${asset.kind} · ${(asset.size / 1e3).toFixed(0)} kB` }),
        ...(asset.files['preview.mp4'] ? [el('button', { type: 'button', text: 'Preview', onclick: () => attempt(() => play(asset.key)) })] : []),
      ),
    ),
  );
}

async function refreshCounts() {
  const { queues } = await api.call('GET', '/api/jobs');
  document.getElementById('counts').textContent = Object.entries(queues)
    .map(([name, c]) => `${name}: ${c.active} active, ${c.waiting + c.prioritized + c.delayed} waiting`)
    .join(' · ');
}

async function loadJobs() {
  for (const queue of ['clip-render', 'voice-cache', 'rig-prewarm', 'show-prep']) {
    const { jobs: list } = await api.call('GET', `/api/jobs/${queue}`);
    for (const job of list) jobs.set(`${queue}/${job.id}`, job);
  }
  renderJobs();
}

async function loadPickers() {
  const { personas } = await api.call('GET', '/api/personas');
  for (const select of document.querySelectorAll('select.persona')) {
    select.replaceChildren(...personas.map((p) => el('option', { value: p.id, text: `${p.name} (${p.language})` })));
  }
  const { shows } = await api.call('GET', '/api/shows');
  document.getElementById('prep-show').replaceChildren(...shows.map((s) => el('option', { value: s.id, text: s.title })));
}

const lines = (id) => document.getElementById(id).value.split('\n').map((l) => l.trim()).filter(Boolean);
const value = (id) => document.getElementById(id).value;

function onSubmit(formId, queue, body) {
  document.getElementById(formId).addEventListener('submit', (event) => {
    event.preventDefault();
    void attempt(async () => track(await api.call('POST', `/api/jobs/${queue}`, body())));
  });
}

onSubmit('clip-form', 'clip-render', () => ({ persona: value('clip-persona'), name: value('clip-name'), resolution: value('clip-resolution'), text: value('clip-text') }));
onSubmit('voice-form', 'voice-cache', () => ({ persona: value('voice-persona'), phrases: lines('voice-phrases') }));
onSubmit('prep-form', 'show-prep', () => {
  const persona = value('prep-persona');
  return { showId: value('prep-show') || undefined, personas: [persona], phrases: lines('prep-phrases').map((text) => ({ persona, text })), clips: [] };
});

document.getElementById('open-board').addEventListener('click', () =>
  attempt(async () => {
    const { board } = await api.call('POST', '/api/producer/board-session');
    window.open(board, '_blank', 'noopener');
  }),
);

socket.on('connect', () => ((live.dataset.ready = 'true'), (live.textContent = 'events: live')));
socket.on('disconnect', () => ((live.dataset.ready = 'false'), (live.textContent = 'events: reconnecting')));
socket.on('connect_error', (error) => showError({ code: 'AUTH_INVALID', message: error.message }));
socket.on('job', (event) => {
  const key = `${event.queue}/${event.jobId}`;
  const known = jobs.get(key);
  if (event.type === 'progress' && known && typeof event.progress === 'number') {
    track({ ...known, state: 'active', progress: event.progress });
    return;
  }
  // Events are best-effort: read the job's real state.
  void refreshJob(event.queue, event.jobId).then(() => {
    if (event.type === 'completed') void refreshAssets();
  });
});

await attempt(async () => {
  await loadPickers();
  await Promise.all([loadJobs(), refreshAssets(), refreshCounts(), initRecordings({ api, token, attempt }), initRundown({ api, track })]);
});
setInterval(() => void refreshCounts().catch(() => undefined), 3000);
