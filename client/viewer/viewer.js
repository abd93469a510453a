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
  } catch {
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

window.onair = { client, video };
void client.start();
