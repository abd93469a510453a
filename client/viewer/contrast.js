// Readable CTA colours. A template's colours are the advertiser's; the page keeps their
// background and accent but never lets text fall under WCAG AA contrast (4.5:1) on them.
const AA = 4.5;
const DARK = '#111111';
const LIGHT = '#ffffff';
const HEX = /^#[0-9a-fA-F]{6}$/;

function luminance(hex) {
  const channel = (i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** `wanted` if it reads on `background`, else whichever of near-black and white reads better. */
export function readableOn(background, wanted) {
  if (wanted && HEX.test(wanted) && contrast(background, wanted) >= AA) return wanted;
  return contrast(background, DARK) >= contrast(background, LIGHT) ? DARK : LIGHT;
}

/**
 * CSS custom properties for a card: its background, text on it, the accent, and the action
 * button's text on the accent. A colour that is not #rrggbb falls back to the page's.
 */
export function readableColours({ background, text, accent } = {}) {
  const bg = HEX.test(background ?? '') ? background : '#0b0f14';
  const accentColour = HEX.test(accent ?? '') ? accent : '#e9c46a';
  return { bg, fg: readableOn(bg, text), accent: accentColour, 'action-fg': readableOn(accentColour) };
}
