import { GlobalFonts } from '@napi-rs/canvas';

const PREFERRED = ['DejaVu Sans', 'Liberation Sans', 'Noto Sans', 'Arial'];

let family: string | undefined;

/** A font family that is installed, falling back to the generic `sans-serif`. */
export function uiFontFamily(): string {
  family ??= PREFERRED.find((name) => GlobalFonts.has(name)) ?? 'sans-serif';
  return family;
}

export function font(weight: 'normal' | 'bold', sizePx: number): string {
  const name = uiFontFamily();
  return `${weight} ${sizePx}px ${name === 'sans-serif' ? name : `"${name}", sans-serif`}`;
}
