export * from './pose.js';
export { RigAtlas, EYE_STEPS, type RigAtlasOptions } from './RigAtlas.js';
export { Compositor, presenterLowerThird } from './Compositor.js';
export type { LowerThirdText } from './overlays/lowerThird.js';
export type { Sprite } from './Sprite.js';
export { paintSprite } from './Sprite.js';
export type { Rect } from './geometry.js';
export { REFERENCE_WIDTH, REFERENCE_HEIGHT } from './geometry.js';
export { RigResolutionError, RigLogoError } from './errors.js';
