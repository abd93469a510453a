import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PersonaLowerThird } from '../../lib/media/Persona.js';
import { scaleRect } from '../../renderer/rig/geometry.js';
import { buildLowerThird, LOWER_THIRD_BOUNDS } from '../../renderer/rig/overlays/lowerThird.js';

// The viewer page keeps CTAs out of LOWER_THIRD_BOUNDS: every lower third must paint inside it.
test('every lower-third style, with the longest text, stays inside LOWER_THIRD_BOUNDS', () => {
  const texts = [
    { name: 'Ava', title: '' },
    { name: 'W'.repeat(60), title: 'M'.repeat(80) },
    { name: 'Dra. María-Fernanda Ibáñez de la Concepción', title: 'Corresponsal de tecnología y ciencia' },
  ];
  for (const style of ['bar', 'pill', 'split'] as const) {
    const look = { style, background: '#102030', foreground: '#ffffff', accent: '#e9c46a' } as PersonaLowerThird;
    for (const scale of [0.5, 1, 2, 3]) {
      const bounds = scaleRect(LOWER_THIRD_BOUNDS, scale);
      for (const text of texts) {
        const sprite = buildLowerThird(text, look, scale);
        const box = { x: sprite.x, y: sprite.y, right: sprite.x + sprite.canvas.width, bottom: sprite.y + sprite.canvas.height };
        const where = `${style} ×${scale} ${JSON.stringify(box)} in ${JSON.stringify(bounds)}`;
        // Sprites are cut on whole pixels (floor the origin, ceil the far edge): one pixel of slack.
        assert.ok(box.x >= Math.floor(bounds.x) && box.y >= Math.floor(bounds.y), where);
        assert.ok(box.right <= Math.ceil(bounds.x + bounds.width) + 1 && box.bottom <= Math.ceil(bounds.y + bounds.height) + 1, where);
      }
    }
  }
});
