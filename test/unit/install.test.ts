import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { ROOT_DIR } from '../../lib/paths.js';

// `npm test` installs first (scripts/setup.sh: apt packages, `npm ci`, the mediasoup worker).
// On a clean checkout nothing of that may touch a tracked file, the lock file above all.
test(
  'installing left every tracked file as committed',
  { skip: process.env.CI ? false : 'runs on a clean checkout (CI=true): a developer’s own edits would fail it' },
  () => {
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT_DIR, encoding: 'utf8' });
    assert.equal(status, '', `tracked files changed by the install:\n${status}`);
  },
);
