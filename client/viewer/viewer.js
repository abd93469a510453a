import { WhepClient } from '/client/common/whep.js';

const showId = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() ?? '');
const video = document.getElementById('video');
const stateLabel = document.getElementById('state');
const unmuteButton = document.getElementById('unmute');

const LABELS = { connecting: 'connecting…', connected: 'live', reconnecting: 'reconnecting…', ended: 'show has ended', stopped: 'stopped' };

const client = new WhepClient(`/whep/${encodeURIComponent(showId)}`, {
  onState(state, detail) {
    stateLabel.dataset.state = state;
    stateLabel.textContent = LABELS[state] ?? state;
    stateLabel.title = detail ?? '';
  },
  onStream(stream) {
    if (video.srcObject !== stream) video.srcObject = stream;
    play();
  },
});

async function play() {
  video.muted = false;
  try {
    await video.play();
    unmuteButton.hidden = true;
  } catch (error) {
    // A play() cut short by a newer one (each track's arrival calls play) is not a block.
    if (error.name !== 'NotAllowedError') return;
    // Autoplay with sound was blocked: play muted and offer a click to unmute.
    video.muted = true;
    unmuteButton.hidden = false;
    await video.play().catch(() => undefined);
  }
}

unmuteButton.addEventListener('click', () => {
  video.muted = false;
  unmuteButton.hidden = true;
  void video.play();
});

const chatForm = document.getElementById('chat');
const chatStatus = document.getElementById('chat-status');
let chat = null;

/** Chat joins once the WHEP session has given this viewer its signed token. */
function connectChat() {
  if (chat || !client.token) return;
  chat = window.io('/viewer', { auth: { token: client.token } });
  chat.on('connect', () => {
    chatForm.hidden = false;
    void sendJoin();
  });
  chat.on('connect_error', (error) => (chatStatus.textContent = error.message));
}

const emit = (event, payload) => new Promise((resolve) => chat.emit(event, payload, resolve));

function sendJoin() {
  const displayName = document.getElementById('chat-name').value.trim();
  return emit('join', { consent: document.getElementById('chat-consent').checked, ...(displayName && { displayName }) });
}

chatForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = document.getElementById('chat-text');
  await sendJoin();
  const reply = await emit('chat', { text: input.value });
  chatStatus.textContent = reply.ok ? 'sent' : `${reply.error.code}: ${reply.error.message}`;
  if (reply.ok) input.value = '';
});

new MutationObserver(() => stateLabel.dataset.state === 'connected' && connectChat()).observe(stateLabel, { attributes: true });

window.onair = { client, video, get chat() { return chat; } };
void client.start();
