import path from 'node:path';
import { ASSETS_DIR } from '../../lib/paths.js';

/** From sources or from dist/ alike (lib/paths.ts finds the repository root). */
export const OVERLAY_ASSETS_DIR = path.join(ASSETS_DIR, 'overlays');
export const OVERLAY_TEMPLATES_FILE = 'templates.json';
export const OVERLAY_IMAGES_DIR = 'images';

export const overlayImagesDir = (assetsDir: string = OVERLAY_ASSETS_DIR) =>
  path.join(assetsDir, OVERLAY_IMAGES_DIR);
