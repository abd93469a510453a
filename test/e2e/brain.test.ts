import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { OnAir } from '../../server/OnAir.js';
import { launchChromium } from '../helpers/chromium.js';
import { createShow, HOST_TOKEN, startOnAir } from '../helpers/startOnAir.js';

let onair: OnAir;
let browser: Browser;
let showId: string;

before(async () => {
  onair = await startOnAir();
  showId = await createShow(onair, 'approvals');
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await onair?.close();
});

test('the host approves an edited generated line, and answers a viewer question from the chat', async () => {
  const host = await browser.newPage();
  await host.goto(`${onair.url}/host#token=${HOST_TOKEN}`);
  await host.locator(`#cues[data-watching="${showId}"]`).waitFor({ state: 'attached', timeout: 15_000 });
  await host.check('#approval');
  await waitForApprovalMode(true);
  await host.fill('#cue-text', 'welcome everyone');
  await host.click('#prompt');

  const pending = host.locator('#cues li[data-state="awaiting_approval"]');
  await pending.waitFor({ timeout: 10_000 });
  const states = () => JSON.stringify(onair.shows.live(showId)!.cues!.list().map((c) => [c.state, c.kind, c.text]));
  const generated = await pending.locator('.approval-text').inputValue({ timeout: 5_000 }).catch((error: Error) => {
    throw new Error(`${error.message.slice(0, 200)} ${states()}`);
  });
  assert.ok(generated.length > 0, 'the generated line is shown');
  await pending.locator('.approval-text').fill('Welcome, <everyone>!');
  await pending.locator('button.approve').click();
  const spoken = host.locator('#cues li[data-state="speaking"], #cues li[data-state="done"]').first();
  await spoken.waitFor({ timeout: 10_000 });
  assert.match((await spoken.locator('.line').textContent()) ?? '', /Welcome, <everyone>!/, 'the edited text, shown as text');

  const viewer = await browser.newPage();
  await viewer.goto(`${onair.url}/watch/${showId}`);
  await viewer.locator('#chat').waitFor({ state: 'visible', timeout: 20_000 });
  await viewer.fill('#chat-name', 'Maria');
  await viewer.check('#consent');
  await viewer.fill('#chat-text', 'Can you ship the lens to Spain?');
  await viewer.click('#chat button[type="submit"]');
  await viewer.waitForFunction(() => document.getElementById('chat-status')?.textContent === 'sent', undefined, { timeout: 5_000 }).catch(async (error: Error) => {
    throw new Error(`${error.message}: ${await viewer.locator('#chat-status').textContent()}`);
  });

  const question = host.locator('#questions li').first();
  await question.waitFor({ timeout: 10_000 });
  assert.match((await question.textContent()) ?? '', /Maria: Can you ship the lens to Spain\?/);
  await question.locator('button.answer').click();
  await host
    .waitForFunction(() => [...document.querySelectorAll('#cues li[data-state="awaiting_approval"] .line')].some((l) => l.textContent?.includes('answer_question')), undefined, { timeout: 10_000 })
    .catch((error: Error) => {
      throw new Error(`${error.message}\n${JSON.stringify(onair.shows.live(showId)!.cues!.list().map((c) => [c.state, c.kind, c.intent?.intent, c.reason]))}`);
    });
  await host.close();
  await viewer.close();
});

async function waitForApprovalMode(enabled: boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (onair.shows.live(showId)!.cues!.approvalMode !== enabled) {
    if (Date.now() > deadline) throw new Error('approval mode did not change');
    await new Promise((r) => setTimeout(r, 50));
  }
}
