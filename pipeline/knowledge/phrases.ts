/**
 * Ways of saying one thing in several words, written as one term before words are split, so
 * a fact and a question that say it differently meet: "frame rate", "frames per second" and
 * "fotogramas por segundo" are all `fps`. General English and Spanish, nothing product- or
 * show-specific. The terms they produce are group heads of synonyms.ts (or words in them).
 */

/** On the text as written (case matters): symbols, and letters that are names only in capitals. */
export const RAW_PHRASES: readonly (readonly [RegExp, string])[] = [
  [/€/g, ' euros '],
  [/\$/g, ' dollars '],
  [/£/g, ' pounds '],
  [/%/g, ' percent '],
  // "the US", "U.S.A." (lower-case "us" is a pronoun).
  [/\b(?:U\.S\.(?:A\.)?|USA|US)(?![\w.])/g, ' eeuu '],
  // A lens mount named by a capital: "L lenses", "E-mount", "montura L".
  // Not A, I, O, U, Y, which start sentences and are words of their own.
  [/\b([B-HJ-NP-TV-XZ])[\s-]?(?:mount|Mount|MOUNT)\b/g, ' $1mount mount '],
  [/\b([B-HJ-NP-TV-XZ])\s+(lens|lenses|glass)\b/g, ' $1mount $2 '],
  [/\b(montura|objetivos?|lentes?)\s+([B-DF-HJ-NP-TV-XZ])\b/g, ' $1 $2mount '],
];

/** On folded text (lower case, no accents). Order matters: longer phrases first. */
export const PHRASES: readonly (readonly [RegExp, string])[] = [
  // Two-word spellings of one word.
  [/\bgive\s+away\b/g, ' giveaway '],
  [/\be\s*-?\s*mail\b/g, ' email '],
  [/\bpre\s*-?\s*orders?\b/g, ' preorder '],
  [/\bslow\s*-?\s*mo(?:tion)?\b|\bcamara lenta\b/g, ' slowmo '],
  // How long something takes: meets the time units (synonyms.ts `duration`).
  [/\bhow\s+(?:long|fast|soon|quick|quickly|many\s+(?:days|hours|minutes|weeks|months|years))\b|\bcuanto\s+(?:tarda\w*|tiempo|dura\w*)\b|\b(?:en\s+)?cuant[oa]s\s+(?:dias|horas|minutos|semanas|meses|anos)\b|\bque\s+tan\s+rapido\b|\ben\s+cuanto\b/g, ' duration '],
  // A time of day: "what time", "a qué hora", "7 pm", "19:00".
  [/\b(?:at\s+)?what\s+(?:time|hour)\b|\b(?:a\s+)?(?:que|q)\s+hora\b/g, ' clock '],
  [/\b(\d{1,2})(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)(?![a-z])/g, ' $1 clock '],
  [/\b(\d{1,2}):\d{2}\b/g, ' $1 clock '],
  // "mañana" and "tarde" are also "tomorrow" and "late" (and stem like "many" and "tarda"): a time of day only after an article.
  [/\b(?:la|por\s+la|de\s+la|esta)\s+manana\b/g, ' morning '],
  [/\b(?:la|por\s+la|de\s+la|esta)\s+tarde\b/g, ' afternoon '],
  // Units written against their number: "1tb", "50mm", "390g".
  [/\b(\d+)(mm|cm|gb|tb|mb|mp|fps|kg|g|gr|h|hrs?|min|mins)\b/g, ' $1 $2 '],
  // Camera terms.
  [/\bframe\s*-?\s*rates?\b|\bframes?\s+(?:per|a|por)\s+second\b|\b(?:fotogramas|cuadros|frames)\s+(?:por|per|x)\s+segundo\b/g, ' fps '],
  [/\bfull\s*-?\s*frame\b|\bformato\s+completo\b|\bfotograma\s+completo\b|\baps\s*-?\s*c\b|\bmicro\s+(?:four|4)\s*(?:thirds|\/\s*3)\b|\bm4\/3\b|\bmedium\s+format\b|\bformato\s+medio\b|\bsensor\s+size\b|\b(?:tamano|size)\s+(?:del?|of\s+the)\s+sensor\b/g, ' sensorformat sensor '],
  [/\b([b-df-hj-np-tv-xz])(?:\s+|\s*-\s*)mount\b/g, ' $1mount mount '],
  [/\bmontura\s+([b-df-hj-np-tv-xz])\b/g, ' montura $1mount '],
  [/\b(?:weather|splash|rain|water)\s*-?\s*(?:sealed|sealing|resistant|proof)\b/g, ' weatherproof '],
  [/\b(?:delivery|shipping)\s+times?\b|\b(?:tiempo|plazo)s?\s+de\s+(?:envio|entrega)\b/g, ' duration delivery '],
  [/\bpay\s+(?:it\s+)?later\b|\bpagar(?:lo|la)?\s+(?:mas\s+)?(?:tarde|despues)\b|\ba\s+plazos\b/g, ' instalment '],
  [/\brelease\s+date\b|\bcomes?\s+out\b|\bcuando\s+(?:sale\s+(?:a\s+la\s+venta\s+)?(?:el|la)|salen\s+a\s+la\s+venta)\b|\bfecha\s+de\s+(?:lanzamiento|salida)\b/g, ' cuando release '],
  [/\bbattery\s+life\b|\bduracion\s+de\s+(?:la\s+)?bateria\b/g, ' battery '],
  [/\bmemory\s+cards?\b/g, ' storage card '],
  [/\b(tarjetas?)\s+de\s+memoria\b/g, ' storage $1 '],
  [/\b(?:big|large)\s+(?:of\s+)?(?:an?\s+)?(?:sd\s+)?card\b/g, ' storage card '],
  // Places written in two words.
  [/\bunited\s+kingdom\b|\breino\s+unido\b|\bgreat\s+britain\b|\bgran\s+bretana\b/g, ' uk '],
  [/\bunited\s+states\b|\bestados\s+unidos\b|\bthe\s+states\b/g, ' eeuu '],
  [/\beuropean\s+union\b|\bunion\s+europea\b/g, ' eu '],
  // Shop talk.
  [/\b(?:in|out\s+of|back\s+in|en)\s+stock\b|\bsold\s+out\b|\bout\s+(?:yet|now|already)\b|\bya\s+(?:a\s+la\s+venta|disponible)\b|\ba\s+la\s+venta\b/g, ' stock '],
  [/\bsend\s+(?:it\s+|them\s+)?back\b|\bmoney\s+back\b|\bde\s+vuelta\b|\b(?:do\s*n[o']?t|do\s+not)\s+like\s+it\b|\bno\s+me\s+(?:gusta|convence)\b/g, ' return '],
  [/\bcomes?\s+with\b|\bvienen?\s+con\b|\bin\s+the\s+box\b|\ben\s+la\s+caja\b/g, ' include '],
  [/\bcustomer\s+(?:service|support|care)\b|\batencion\s+al\s+cliente\b|\bget\s+in\s+touch\b/g, ' support '],
  [/\b(card|tarjeta)\s+(?:size|capacity)\b|\b(?:size|capacity|tamano|capacidad)\s+(?:of\s+(?:the\s+)?card|de\s+(?:la\s+)?tarjeta)\b/g, ' storage card '],
  [/\bon\s+demand\b|\ba\s+la\s+carta\b|\bwatch\s+(?:it\s+)?again\b|\bcatch\s+up\b|\bver(?:lo|la)?\s+de\s+nuevo\b|\bvolver\s+a\s+ver(?:lo|la)?\b/g, ' replay '],
  [/\bgo(?:es)?\s+live\b|\bon\s+air\b|\ben\s+(?:directo|vivo)\b/g, ' live '],
  [/\bper\s*cent\b|\bpor\s+ciento\b/g, ' percent '],
  [/\bcuanto\s+(?:sale|salen|es|son|seria)\b|\ba\s+cuanto\s+(?:esta|sale|anda)\b/g, ' precio '],
  // "How much does it weigh" asks a weight, not a price.
  [/\bhow\s+much(?=(?:\s+\w+){0,4}\s+(?:weigh|weighs|weight|space|storage|memory|battery)\b)/g, ' '],
];
