import { stem } from './stem.js';

/**
 * Words viewers use for what a fact sheet says another way ("how much" and "price", "envío"
 * and "delivery"), mapped onto the first word of their group. General shop and show
 * vocabulary in English and Spanish only: nothing here names a product or a show. Applied,
 * after stemming, to facts and questions alike.
 */
const GROUPS: readonly (readonly string[])[] = [
  ['price', 'cost', 'costs', 'much', 'pay', 'precio', 'cuesta', 'cuestan', 'coste', 'costo', 'vale', 'valen', 'pagar', 'euros', 'dollars', 'bucks', 'gastos', 'cobrar', 'cobrais', 'cobran'],
  ['shipping', 'delivery', 'deliver', 'post', 'mail', 'envio', 'enviar', 'entrega', 'entregar', 'mandar', 'llegar', 'llega', 'arrive', 'courier', 'mensajeria'],
  ['return', 'refund', 'devolucion', 'devolver', 'devuelvo', 'devuelve', 'devuelven', 'reembolso', 'reembolsar', 'money', 'dinero'],
  ['warranty', 'guarantee', 'garantia'],
  ['schedule', 'air', 'airs', 'episode', 'stream', 'show', 'directo', 'emision', 'emitir', 'emite', 'programa', 'horario'],
  // How long something takes: "how long", "¿cuánto tarda?" (see PHRASES in analyze.ts) meet the time units.
  ['duration', 'day', 'dia', 'week', 'semana', 'hour', 'hora', 'minute', 'minuto', 'min', 'year', 'ano', 'month', 'mes'],
  ['weekday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'lunes', 'martes', 'miercoles', 'jueves', 'viernes', 'sabado', 'domingo', 'weekend', 'weekdays'],
  ['old', 'older', 'viejo', 'viejos', 'antiguo', 'antiguos'],
  ['buy', 'purchase', 'order', 'comprar', 'compra', 'pedido', 'pedir', 'adquirir'],
  ['store', 'shop', 'tienda', 'website', 'online', 'web', 'pagina'],
  ['battery', 'bateria', 'pila', 'charge', 'cargar', 'carga', 'autonomia'],
  ['waterproof', 'water', 'agua', 'sumergible', 'sumergir', 'submerged', 'submerge', 'impermeable', 'rain', 'lluvia', 'pool', 'piscina', 'swim', 'nadar', 'splash', 'splashes', 'salpicadura', 'salpicaduras', 'underwater'],
  ['weight', 'weigh', 'peso', 'pesa', 'heavy', 'grams', 'gramos'],
  ['size', 'tamano', 'dimensions', 'dimensiones', 'big', 'small', 'grande', 'pequeno', 'medidas'],
  ['colour', 'color', 'colores', 'finish', 'finishes', 'acabado', 'acabados'],
  ['discount', 'descuento', 'code', 'codigo', 'coupon', 'cupon', 'promo', 'promocional', 'offer', 'oferta', 'deal', 'rebaja'],
  ['giveaway', 'sorteo', 'sortear', 'sorteamos', 'raffle', 'win', 'winner', 'ganar', 'ganador', 'prize', 'premio', 'contest', 'concurso'],
  ['international', 'internacional', 'abroad', 'extranjero', 'overseas', 'worldwide', 'countries', 'paises'],
  ['support', 'soporte', 'help', 'ayuda', 'contact', 'contactar', 'email', 'correo', 'atencion', 'talk', 'speak', 'hablar', 'hablo'],
  ['replay', 'recording', 'rewatch', 'grabacion', 'repeticion', 'later', 'despues', 'luego', 'miss', 'perder', 'perdi'],
  ['camera', 'camara', 'cam'],
  ['lens', 'lente', 'objetivo', 'optics'],
  ['video', 'film', 'filming'],
  ['photo', 'foto', 'picture', 'imagen', 'shot', 'shots', 'disparo', 'disparos'],
  ['stock', 'available', 'disponible', 'sold', 'agotado', 'left', 'quedan'],
  ['free', 'gratis', 'gratuito'],
];

function build(): Map<string, string> {
  const map = new Map<string, string>();
  for (const group of GROUPS) {
    const head = stem(group[0]!);
    for (const word of group) map.set(stem(word), head);
  }
  return map;
}

/** Stem → the stem of its group's first word. */
export const SYNONYMS: ReadonlyMap<string, string> = build();
