import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { OverlayTemplate } from '../decisions/types.js';
import { OVERLAY_ASSETS_DIR, OVERLAY_TEMPLATES_FILE, overlayImagesDir } from './overlayAssets.js';
import { OverlayCatalogError } from './overlayErrors.js';
import {
  imageExistsIn,
  parseOverlayTemplates,
  validateOverlayTemplate,
} from './validateOverlayTemplate.js';

/** The validated CTA templates from assets/overlays/templates.json, by id. */
export class OverlayCatalog {
  private readonly byId: ReadonlyMap<string, OverlayTemplate>;

  constructor(
    readonly templates: readonly OverlayTemplate[],
    readonly imagesDir: string = overlayImagesDir(),
  ) {
    this.byId = new Map(templates.map((t) => [t.id, t]));
  }

  /** Reads and validates the catalog; throws InvalidOverlayTemplateError or OverlayCatalogError. */
  static load(assetsDir: string = OVERLAY_ASSETS_DIR): OverlayCatalog {
    const file = path.join(assetsDir, OVERLAY_TEMPLATES_FILE);
    let json: string;
    try {
      json = readFileSync(file, 'utf8');
    } catch (error) {
      throw new OverlayCatalogError(
        'OVERLAY_CATALOG_UNREADABLE',
        `${file}: ${(error as Error).message}`,
      );
    }
    const imagesDir = overlayImagesDir(assetsDir);
    return new OverlayCatalog(
      parseOverlayTemplates(json, { imageExists: imageExistsIn(imagesDir) }),
      imagesDir,
    );
  }

  get(id: string): OverlayTemplate | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Validates one more template against this catalog's images (e.g. a host-pushed overlay). */
  validate(value: unknown): OverlayTemplate {
    return validateOverlayTemplate(value, { imageExists: imageExistsIn(this.imagesDir) });
  }

  /** The path of a template's image, for serving; the name was validated as a plain file name. */
  imagePath(template: OverlayTemplate): string | undefined {
    return template.image === undefined ? undefined : path.join(this.imagesDir, template.image);
  }
}
