import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT_DIR } from '../../lib/paths.js';

/**
 * A CTA catalog folder (OVERLAY_DIR) for benchmarks: the demo templates without frequency caps,
 * `copies` of each, so every decision may show something; the demo catalog's caps would
 * answer most events with `none`. A dismissed CTA stays away for the session, hence the copies.
 */
export function uncappedCatalog(copies: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'onair-bench-overlays-'));
  const source = path.join(ROOT_DIR, 'assets/overlays');
  const templates = JSON.parse(readFileSync(path.join(source, 'templates.json'), 'utf8')) as Array<
    Record<string, unknown>
  >;
  const uncapped = templates.flatMap(
    ({ inventory: _inventory, guaranteedImpressions: _guaranteed, ...t }) =>
      Array.from({ length: copies }, (_, i) => ({
        ...t,
        id: `${t.id}-${i}`,
        frequencyCap: { maxPerSession: 100_000, minGapMs: 0 },
      })),
  );
  writeFileSync(path.join(dir, 'templates.json'), JSON.stringify(uncapped));
  cpSync(path.join(source, 'images'), path.join(dir, 'images'), { recursive: true });
  return dir;
}
