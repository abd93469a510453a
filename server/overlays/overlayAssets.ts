import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const OVERLAY_ASSETS_DIR = fileURLToPath(new URL('../../assets/overlays', import.meta.url));
export const OVERLAY_TEMPLATES_FILE = 'templates.json';
export const OVERLAY_IMAGES_DIR = 'images';

export const overlayImagesDir = (assetsDir: string = OVERLAY_ASSETS_DIR) =>
  path.join(assetsDir, OVERLAY_IMAGES_DIR);
