// The viewer page's words in the viewer's language: `?lang=` first, else the browser's
// languages. The page falls back to English for a language it has no words for; the language
// itself still goes to the server, which picks ads in it.
const TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;

const MESSAGES = {
  en: {
    title: 'OnAir — watch',
    heading: 'Live show',
    'state.connecting': 'connecting…',
    'state.connected': 'live',
    'state.reconnecting': 'reconnecting…',
    'state.ended': 'show has ended',
    'state.stopped': 'stopped',
    unmute: 'Click to unmute',
    'chat.label': 'Chat with the presenter',
    'chat.name': 'Your name (optional)',
    'chat.consent': 'Personalize offers for me and let the presenter say my name',
    'chat.text': 'Ask the presenter something',
    'chat.send': 'Send',
    'chat.sent': 'sent',
    'overlays.label': 'Offers and polls',
    dismiss: 'Dismiss',
    'poll.voted': 'Thanks for voting',
    'poll.open': 'Vote now',
    'poll.winner': 'Winner: {label} ({percent}%)',
    'poll.closed': 'Closed',
    'poll.votes': '{count} votes',
  },
  es: {
    title: 'OnAir — en directo',
    heading: 'Programa en directo',
    'state.connecting': 'conectando…',
    'state.connected': 'en directo',
    'state.reconnecting': 'reconectando…',
    'state.ended': 'el programa ha terminado',
    'state.stopped': 'detenido',
    unmute: 'Haz clic para activar el sonido',
    'chat.label': 'Chatea con el presentador',
    'chat.name': 'Tu nombre (opcional)',
    'chat.consent': 'Personalizar las ofertas para mí y dejar que el presentador diga mi nombre',
    'chat.text': 'Pregunta algo al presentador',
    'chat.send': 'Enviar',
    'chat.sent': 'enviado',
    'overlays.label': 'Ofertas y encuestas',
    dismiss: 'Cerrar',
    'poll.voted': 'Gracias por votar',
    'poll.open': 'Vota ahora',
    'poll.winner': 'Ganadora: {label} ({percent} %)',
    'poll.closed': 'Cerrada',
    'poll.votes': '{count} votos',
  },
};

/** The viewer's language tag (`es-MX`), from `?lang=` else the browser; `en` when neither says. */
export function viewerLanguageTag(search = location.search, languages = navigator.languages) {
  const asked = new URLSearchParams(search).get('lang');
  if (asked && TAG.test(asked) && asked.length <= 35) return asked;
  return [...(languages ?? []), navigator.language].find((tag) => tag && TAG.test(tag)) ?? 'en';
}

const primary = (tag) => tag.split('-')[0].toLowerCase();

/** The language the page's words are in: the viewer's if the page has them, else English. */
export const pageLanguage = (tag) => (MESSAGES[primary(tag)] ? primary(tag) : 'en');

/**
 * An overlay in the viewer's language. A host-pushed overlay goes to everyone in one message
 * with the host's translations (the catalog's shape: `language` names the host's own words,
 * `translations.<lang>` the others); the viewer gets the translation into its primary language
 * when there is one, as the server picks a catalog CTA's, else the host's own words. Catalog
 * CTAs arrive already in the viewer's language and carry no translations.
 */
export function overlayInLanguage(overlay, tag) {
  const language = primary(tag);
  const translation = overlay.translations && Object.hasOwn(overlay.translations, language) ? overlay.translations[language] : undefined;
  const own = { ...overlay };
  delete own.translations;
  if (!translation || overlay.language === language) return own;
  // The translation's words only (a body or button it leaves out is not shown); the link is the host's unless it has its own.
  for (const field of ['headline', 'body', 'action']) delete own[field];
  return { ...own, ...translation, language };
}

export function translator(tag) {
  const messages = MESSAGES[pageLanguage(tag)];
  return (key, values = {}) => (messages[key] ?? MESSAGES.en[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}

/** Puts the page's words in: `data-i18n` (text), `data-i18n-placeholder`, `data-i18n-aria-label`. */
export function translatePage(t, lang) {
  document.documentElement.lang = lang;
  document.title = t('title');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) node.placeholder = t(node.dataset.i18nPlaceholder);
  for (const node of document.querySelectorAll('[data-i18n-aria-label]')) node.setAttribute('aria-label', t(node.dataset.i18nAriaLabel));
}
