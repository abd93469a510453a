/** A presenter: who speaks, how it sounds, how it looks and how the show is branded. */
export const TONES = ['warm', 'energetic', 'formal', 'calm'] as const;
export type Tone = (typeof TONES)[number];

export const HAIR_STYLES = ['short', 'long', 'curly', 'bun', 'bald'] as const;
export type HairStyle = (typeof HAIR_STYLES)[number];

export const ACCESSORIES = ['none', 'glasses', 'earrings', 'headset'] as const;
export type Accessory = (typeof ACCESSORIES)[number];

export const OUTFITS = ['crew', 'collar', 'blazer'] as const;
export type Outfit = (typeof OUTFITS)[number];

export const LOWER_THIRD_STYLES = ['bar', 'pill', 'split'] as const;
export type LowerThirdStyle = (typeof LOWER_THIRD_STYLES)[number];

/** `#rrggbb`, lower or upper case. */
export type Colour = string;

export interface PersonaVoice {
  engine: 'espeak';
  /** espeak-ng voice name, e.g. `en-us`, `en-gb`, `es`. */
  voice: string;
  /** espeak-ng variant, e.g. `f3`, `m3`. */
  variant?: string;
  rateWpm: number;
  /** espeak-ng pitch 0..100. */
  pitch: number;
}

export interface PersonaLook {
  skin: Colour;
  hair: { style: HairStyle; colour: Colour };
  eyes: Colour;
  lips: Colour;
  outfit: Outfit;
  shirt: Colour;
  accessory: Accessory;
  background: { top: Colour; bottom: Colour; accent: Colour };
}

export interface PersonaLowerThird {
  style: LowerThirdStyle;
  background: Colour;
  foreground: Colour;
  accent: Colour;
}

export interface PersonaBranding {
  presenterName: string;
  showTitle: string;
  lowerThird: PersonaLowerThird;
  /** PNG file name under the personas' `logos/` folder. */
  logo?: string;
}

export interface Persona {
  id: string;
  name: string;
  /** BCP-47-ish tag, e.g. `en-US`, `es-ES`. */
  language: string;
  tone: Tone;
  voice: PersonaVoice;
  look: PersonaLook;
  branding: PersonaBranding;
}
