import { ApiClient, el, takeToken } from '/client/common/api.js';
import { WhepClient } from '/client/common/whep.js';
import { attachAudience } from '/client/host/audience.js';
import { attachRundown } from '/client/host/rundown.js';

const token = takeToken('host');
const api = new ApiClient(token);
const socket = window.io('/host', { auth: { token } });
const cueList = document.getElementById('cues');
const cueError = document.getElementById('cue-error');
const personaSelect = document.getElementById('persona');
const list = document.getElementById('shows');
const preview = document.getElementById('preview');
const previewState = document.getElementById('preview-state');
const authError = document.getElementById('auth-error');
let selected = null;
let previewClient = null;
const audience = attachAudience({ api, socket, selected: () => selected });
const rundown = attachRundown({ api, socket, selected: () => selected });

function showError(error) {
  authError.hidden = false;
  authError.textContent = `${error.code}: ${error.message}`;
}

async function refreshReady() {
  const badge = document.getElementById('ready');
  // /readyz tells only `ready` without a token; the host's token gets the detail.
  const ready = await fetch('/readyz', { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json()).catch(() => null);
  badge.dataset.ready = String(Boolean(ready?.ready));
  badge.textContent = ready?.encoder ? `${ready.ready ? 'ready' : 'not ready'} · encoder ${ready.encoder.name} · ${ready.sfu.viewers} viewers` : ready ? (ready.ready ? 'ready' : 'not ready') : 'server unreachable';
}

async function refreshShows() {
  try {
    const { shows } = await api.call('GET', '/api/shows');
    authError.hidden = true;
    list.replaceChildren(...shows.map(renderShow));
    if (!selected && shows[0]) select(shows[0]);
  } catch (error) {
    showError(error);
  }
}

function renderShow(show) {
  const item = el(
    'li',
    { 'data-show-id': show.id, class: show.id === selected ? 'selected' : '' },
    el('span', { class: 'title', text: show.title }),
    el('span', { class: 'pill', text: `${show.viewers} viewers · ${show.encoder.name}` }),
    prepPill(show.id),
    el('a', { href: `/watch/${show.id}`, target: '_blank', rel: 'noopener', text: 'viewer link' }),
    el('button', { type: 'button', text: 'Preview', onclick: () => select(show) }),
    el('button', { type: 'button', class: 'danger', text: 'End', onclick: () => endShow(show.id) }),
  );
  return item;
}

/** The show's batch-lane preparation (rigs, clips, phrases), filled in when the API answers. */
function prepPill(showId) {
  const pill = el('span', { class: 'pill prep', text: 'prep …' });
  api.call('GET', `/api/shows/${showId}/prep`).then(({ ready, prep }) => {
    pill.dataset.ready = String(ready);
    pill.textContent = prep ? `prep ${prep.children ? `${prep.children.done}/${prep.children.total}` : ''} ${ready ? 'ready' : prep.state}` : 'no prep';
  }, () => (pill.textContent = 'prep unknown'));
  return pill;
}

function emit(event, payload) {
  return new Promise((resolve, reject) =>
    socket.emit(event, payload, (reply) => (reply?.ok ? resolve(reply.result) : reject(Object.assign(new Error(reply?.error?.message ?? 'no reply'), { code: reply?.error?.code })))),
  );
}

function showCueError(error) {
  cueError.hidden = !error;
  cueError.textContent = error ? `${error.code}: ${error.message}` : '';
}

/** `fromReply`: a snapshot from an HTTP reply, which the socket's newer events may have overtaken. */
function renderCue(cue, fromReply = false) {
  const existing = cueList.querySelector(`li[data-cue-id="${cue.id}"]`);
  if (existing && fromReply) return;
  const detail = cue.state === 'speaking' ? ` @ ${(cue.streamTimeMs / 1000).toFixed(2)} s` : cue.reason ? ` (${cue.reason})` : '';
  const what = cue.kind === 'prompt' ? `${cue.prompt} → ${cue.intent ? `${cue.intent.intent} ${(cue.intent.confidence * 100).toFixed(0)}%` : '…'}: ` : '';
  const item = el('li', { 'data-cue-id': cue.id, 'data-state': cue.state }, el('span', { class: 'state', text: cue.state + detail }), el('span', { class: 'line', text: `${cue.personaId}: ${what}${cue.text}` }));
  // A question (the host's or a viewer's) no fact answered: the presenter said so; the host may add one.
  if (cue.answer?.status === 'abstained') {
    item.dataset.answer = 'abstained';
    item.append(el('span', { class: 'unanswered', role: 'status', text: 'No fact matched: the presenter said it does not know. Add one to the knowledge?' }));
  }
  if (cue.state === 'awaiting_approval') item.append(approvalControls(cue));
  if (existing) existing.replaceWith(item);
  else cueList.append(item);
}

function approvalControls(cue) {
  const edit = el('input', { class: 'approval-text', maxlength: '1000' });
  edit.value = cue.text;
  const decide = (action, body) => api.call('POST', `/api/shows/${selected}/cues/${cue.id}/${action}`, body).catch(showCueError);
  return el(
    'div',
    { class: 'row approval' },
    edit,
    el('button', { type: 'button', class: 'approve', text: 'Approve', onclick: () => decide('approve', { text: edit.value }) }),
    el('button', { type: 'button', class: 'danger reject', text: 'Reject', onclick: () => decide('reject') }),
  );
}

socket.on('cue', (cue) => cue.showId === selected && renderCue(cue));

const questionList = document.getElementById('questions');

/** Viewer chat with the intent model's reading; the host picks which questions the presenter answers. */
function renderChatLine(line) {
  const who = line.displayName ?? `viewer ${line.viewerId.slice(0, 6)}`;
  const item = el(
    'li',
    { 'data-line-id': line.id, 'data-intent': line.intent },
    el('span', { class: 'state', text: `${line.intent} ${(line.confidence * 100).toFixed(0)}%` }),
    el('span', { class: 'line', text: `${who}: ${line.text}` }),
  );
  if (line.question && line.intent !== 'off_policy') {
    item.append(el('button', { type: 'button', class: 'answer', text: 'Answer', onclick: () => answer(line) }));
  }
  questionList.prepend(item);
  while (questionList.children.length > 50) questionList.lastElementChild.remove();
}

async function answer(line) {
  try {
    renderCue(await api.call('POST', `/api/shows/${selected}/chat/${line.id}/answer`), true);
  } catch (error) {
    showCueError(error);
  }
}

socket.on('chat', (line) => line.showId === selected && renderChatLine(line));

/** No fact of the show matched a question the presenter took: it said so, and the host should know. */
socket.on('question_unanswered', ({ line }) => {
  if (line.showId !== selected) return;
  const item = questionList.querySelector(`li[data-line-id="${line.id}"]`);
  if (!item || item.dataset.unanswered) return;
  item.dataset.unanswered = 'true';
  item.append(el('span', { class: 'unanswered', role: 'status', text: 'No fact matched: the presenter said it does not know. Add one to the knowledge?' }));
});

async function loadPersonas() {
  try {
    const { personas } = await api.call('GET', '/api/personas');
    personaSelect.replaceChildren(...personas.map((p) => el('option', { value: p.id, text: `${p.name} (${p.language}, ${p.tone})` })));
  } catch (error) {
    showError(error);
  }
}

const offerWord = document.getElementById('cue-offer-word');
const offerOverlay = document.getElementById('cue-offer-overlay');

/** The catalog's CTAs, for the offer word: when the presenter says it, chosen viewers see it. */
async function loadOverlays() {
  try {
    const { templates } = await api.call('GET', '/api/overlays');
    offerOverlay.replaceChildren(...templates.map((t) => el('option', { value: t.id, text: `${t.headline} (${t.id})` })));
  } catch (error) {
    showError(error);
  }
}

document.getElementById('cue-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = document.getElementById('cue-text');
  const word = offerWord.value.trim();
  try {
    // A line with an offer word goes over HTTP, the route that takes `offer`.
    const cue = word
      ? await api.call('POST', `/api/shows/${selected}/cues`, { text: text.value, offer: { word, overlay: offerOverlay.value } })
      : await emit('cue', { showId: selected, text: text.value });
    renderCue(cue, Boolean(word));
    text.value = '';
    offerWord.value = '';
    showCueError(null);
  } catch (error) {
    showCueError(error);
  }
});

document.getElementById('prompt').addEventListener('click', async () => {
  const text = document.getElementById('cue-text');
  const topic = document.getElementById('cue-topic').value.trim();
  // Unticked, the intent model still reads a question as one; ticked, it is answered from the facts whatever it reads.
  const question = document.getElementById('cue-question').checked;
  try {
    const cue = await api.call('POST', `/api/shows/${selected}/cues`, { prompt: text.value, ...(topic && { context: { topic } }), ...(question && { question: true }) });
    renderCue(cue, true);
    text.value = '';
    showCueError(null);
  } catch (error) {
    showCueError(error);
  }
});

document.getElementById('approval').addEventListener('change', (event) =>
  api.call('PUT', `/api/shows/${selected}/approval`, { enabled: event.target.checked }).catch(showCueError),
);

document.getElementById('interrupt').addEventListener('click', () => emit('interrupt', { showId: selected }).catch(showCueError));

personaSelect.addEventListener('change', () => emit('persona', { showId: selected, persona: personaSelect.value }).catch(showCueError));

/** Joins the show's live cue and chat events; again after every reconnect, which loses the room. */
async function watch(showId) {
  cueList.dataset.watching = '';
  try {
    const { cues, chat, poll } = await emit('watch', { showId });
    if (showId !== selected) return;
    cues.forEach(renderCue);
    audience.clear();
    if (poll) audience.renderPoll(poll);
    questionList.replaceChildren();
    chat.forEach(renderChatLine);
    // After the watch: the room gets the autopilot's progress from here on.
    await rundown.load(showId);
    cueList.dataset.watching = showId;
  } catch (error) {
    showCueError(error);
  }
}

socket.on('connect', () => selected && void watch(selected));

async function select(show) {
  selected = show.id;
  cueList.replaceChildren();
  questionList.replaceChildren();
  if (show.presenter) personaSelect.value = show.presenter.persona;
  void watch(show.id);
  document.getElementById('preview-title').textContent = `— ${show.title}`;
  await previewClient?.stop();
  previewClient = new WhepClient(`/whep/${show.id}`, {
    tokenKey: `onair.host.preview.${show.id}`,
    // The host token: the preview gets the host reserve above the viewer cap (HOST_PREVIEW_RESERVE).
    bearer: token,
    onState: (state) => (previewState.textContent = state),
    onStream: (stream) => {
      preview.srcObject = stream;
      void preview.play().catch(() => undefined);
    },
  });
  await previewClient.start();
  void refreshShows();
}

async function endShow(id) {
  try {
    await api.call('DELETE', `/api/shows/${id}`);
    if (selected === id) {
      selected = null;
      await previewClient?.stop();
    }
  } catch (error) {
    showError(error);
  }
  void refreshShows();
}

document.getElementById('create-show').addEventListener('submit', async (event) => {
  event.preventDefault();
  const title = document.getElementById('show-title').value.trim();
  try {
    const show = await api.call('POST', '/api/shows', title ? { title } : {});
    await select(show);
  } catch (error) {
    showError(error);
  }
});

window.onairHost = { api, select, rundown, get preview() { return previewClient; } };
void loadPersonas();
void loadOverlays();
void refreshReady();
void refreshShows();
setInterval(refreshReady, 3000);
setInterval(refreshShows, 3000);
