import { stem } from './stem.js';
import { SYNONYMS } from './synonyms.js';

/**
 * Words that viewers' questions are full of but that say little about which fact answers
 * them: "how *long* does it *take*", "*two weeks*", "¿*tarda* mucho?". They still match, but
 * count for less when the abstain decision weighs what a fact covers (see KnowledgeBase), so
 * an unknown ordinary word does not sink an answerable question while an unknown specific
 * one ("stabilization", "50mm") still does. General English and Spanish, nothing show-specific.
 */
const LIGHT = `long fast quick quickly soon take takes took taking get gets make makes go goes going come comes want
need needs see watch look looking good better best bad great nice many new old older last next first one two three four
five ten hundred time times thing stuff way able possible work works working use used using under over after before per
each every still already right now today tonight tomorrow yet lot bit little option options version model happen happens
put keep try people person survive valid expire expires until within normally usually exactly roughly approximately
tarda tardan tardar tiempo rapido pronto llevar lleva tomar meter poner sacar usar usa uso funciona funcionar viene
vienen venir trae traer ir va ver mirar necesito bueno buena mejor malo nuevo nueva viejo viejos
ultimo ultima proximo proxima siguiente primero uno dos tres cuatro cinco diez cien vez veces ahora hoy todavia
cosa gusta gustar posible pasa pasar normalmente aprox aproximadamente exactamente version modelo opcion opciones probar
aguanta aguantar dura durar valido caduca vence
carry hold bring handle full da dar completo completa puesta puesto
policy policies politica terms conditions condiciones info information informacion details detalles max maximum maximo maxima biggest largest
forma formas way ways queda quedan quedar
less more menos
duration weekday old`;

const LIGHT_TERMS: ReadonlySet<string> = new Set(
  LIGHT.split(/\s+/)
    .filter(Boolean)
    .map((word) => {
      const stemmed = stem(word);
      return SYNONYMS.get(stemmed) ?? stemmed;
    }),
);

/** Light terms and plain numbers count for this share of their weight in a fact's coverage. */
export const LIGHT_WEIGHT = 0.1;

export function isLight(term: string): boolean {
  return LIGHT_TERMS.has(term) || /^\d+$/.test(term);
}
