import { stem } from './stem.js';

/**
 * Words viewers use for what a fact sheet says another way ("how much" and "price", "envío"
 * and "delivery"), mapped onto the first word of their group. General shop, camera and live
 * show vocabulary in English and Spanish, written from the language, not from any question
 * set: nothing here names a product or a show. Applied, after stemming, to facts and
 * questions alike.
 *
 * A word may sit in several groups ("charge": a battery's or a price; "vale": it costs, it is
 * valid, it fits). In a fact it means its first group, the one it is listed in first; in a
 * question it may mean any of them, and a fact matches it through whichever it has
 * (`SENSES`), so "what's the delivery charge" meets the fact with the delivery price rather
 * than the one about charging the battery.
 */
const GROUPS: readonly (readonly string[])[] = [
  ['price', 'prices', 'pricing', 'cost', 'costs', 'costing', 'much', 'pay', 'paying', 'precio', 'precios', 'cuesta', 'cuestan', 'coste', 'costo', 'pagar', 'pagas', 'euros', 'euro', 'eur', 'dollars', 'dollar', 'usd', 'bucks', 'quid', 'gastos', 'cobrar', 'cobrais', 'cobran', 'cobra', 'fee', 'fees', 'tarifa', 'expensive', 'pricey', 'retail', 'msrp', 'caro', 'cara', 'cheap', 'cheaper', 'barato', 'barata', 'affordable', 'budget', 'presupuesto', 'worth', 'money', 'dinero', 'importe', 'portes'],
  ['payment', 'payments', 'pago', 'pagos', 'paypal', 'transfer', 'transferencia', 'bank', 'banco', 'visa', 'mastercard', 'amex', 'bizum', 'cash', 'efectivo', 'crypto', 'bitcoin', 'accept', 'accepts', 'aceptan', 'aceptais', 'acepta', 'aceptamos', 'method', 'methods', 'metodo', 'metodos', 'credit', 'debit', 'credito', 'debito', 'pay', 'pagar', 'checkout'],
  ['instalment', 'instalments', 'installment', 'installments', 'plazos', 'plazo', 'cuotas', 'cuota', 'fraccionar', 'fraccionado', 'fraccionada', 'split', 'financing', 'finance', 'financiacion', 'financiar', 'financiado', 'aplazar', 'aplazado', 'mensualidades', 'klarna'],
  ['shipping', 'ship', 'ships', 'shipped', 'delivery', 'deliver', 'delivered', 'deliveries', 'post', 'postage', 'postal', 'mail', 'courier', 'dispatch', 'dispatched', 'envio', 'envios', 'enviar', 'envian', 'enviais', 'enviamos', 'mandar', 'mandais', 'mandan', 'entrega', 'entregar', 'entregan', 'llegar', 'llega', 'llegan', 'arrive', 'arrives', 'arrival', 'transporte', 'transport', 'mensajeria', 'despacho', 'send', 'sent', 'sends', 'receive', 'recibir', 'recibo', 'tracking', 'seguimiento', 'portes', 'package', 'parcel', 'paquete'],
  ['buy', 'purchase', 'order', 'orders', 'comprar', 'compra', 'compro', 'pedido', 'pedidos', 'pedir', 'adquirir', 'package', 'parcel', 'paquete'],
  ['return', 'returns', 'refund', 'refunds', 'devolucion', 'devoluciones', 'devolver', 'devuelvo', 'devuelve', 'devuelven', 'devolveis', 'reembolso', 'reembolsar', 'reembolsamos', 'reembolsan', 'money', 'dinero', 'exchange', 'send', 'satisfied', 'satisfecho', 'trial'],
  ['warranty', 'warranties', 'guarantee', 'garantia', 'cover', 'covers', 'covered', 'cubre', 'cubren', 'cubierto', 'cobertura', 'insurance', 'seguro'],
  ['drop', 'drops', 'dropped', 'dropping', 'fall', 'falls', 'caida', 'caidas', 'cae', 'caer', 'golpe', 'golpes', 'knock'],
  ['damage', 'damaged', 'dano', 'danos', 'broken', 'break', 'breaks', 'roto', 'rota', 'rompe', 'romper', 'defect', 'defects', 'defecto', 'defectos', 'faulty', 'fault', 'fallo', 'fallos', 'averia'],
  ['schedule', 'air', 'airs', 'airing', 'stream', 'streams', 'streaming', 'show', 'live', 'directo', 'emision', 'emitir', 'emite', 'emiten', 'emitis', 'programa', 'horario', 'horarios', 'broadcast', 'transmision', 'transmiten', 'start', 'starts', 'begin', 'begins', 'empieza', 'empiezan', 'empezar', 'comienza', 'comienzan', 'comenzar', 'sesion', 'often', 'frequency', 'frecuencia', 'weekly', 'semanal', 'semanalmente'],
  // A time of day; "what time", "a qué hora" and "7 pm" become `clock` in analyze.ts.
  ['clock', 'pm', 'am', 'evening', 'night', 'nights', 'noche', 'noches', 'morning', 'mornings', 'midnight', 'medianoche', 'noon', 'mediodia', 'oclock', 'afternoon'],
  // How long something takes: "how long", "¿cuánto tarda?" (DURATION in analyze.ts) meet the time units.
  ['duration', 'day', 'days', 'dia', 'week', 'semana', 'hour', 'hora', 'minute', 'minuto', 'min', 'year', 'ano', 'month', 'mes', 'meses'],
  ['weekday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'lunes', 'martes', 'miercoles', 'jueves', 'viernes', 'sabado', 'domingo', 'weekend', 'weekdays', 'laborables', 'laborable'],
  ['old', 'older', 'viejo', 'viejos', 'antiguo', 'antiguos', 'vintage', 'legacy'],
  ['store', 'shop', 'tienda', 'tiendas', 'website', 'online', 'web', 'pagina', 'site', 'app'],
  ['battery', 'batteries', 'bateria', 'baterias', 'pila', 'pilas', 'charge', 'charging', 'charger', 'cargar', 'carga', 'cargador', 'recharge', 'recargar', 'autonomia', 'usb'],
  ['waterproof', 'water', 'agua', 'wet', 'mojar', 'moja', 'mojado', 'mojada', 'humedad', 'humidity', 'sumergible', 'sumergir', 'submerged', 'submerge', 'underwater', 'impermeable', 'rain', 'raining', 'lluvia', 'llueve', 'pool', 'piscina', 'swim', 'swimming', 'nadar', 'beach', 'playa', 'sea', 'mar', 'ducha', 'snow', 'nieve', 'splash', 'splashes', 'splashproof', 'salpicadura', 'salpicaduras', 'weatherproof', 'weathersealed', 'sellado', 'sealed'],
  ['weight', 'weigh', 'weighs', 'peso', 'pesa', 'pesada', 'pesado', 'heavy', 'light', 'lighter', 'ligera', 'ligero', 'liviana', 'liviano', 'grams', 'gramos', 'gram', 'gramo', 'kg', 'kilo', 'kilos', 'lbs', 'ounces', 'oz'],
  ['size', 'tamano', 'dimensions', 'dimension', 'dimensiones', 'big', 'small', 'grande', 'pequena', 'pequeno', 'medidas', 'mide', 'miden', 'measure', 'measures', 'measurements', 'compact', 'compacta', 'compacto', 'bulky', 'pocket', 'bolsillo', 'cm', 'centimetres', 'centimeters', 'centimetros', 'inches', 'pulgadas'],
  ['black', 'negro', 'negra', 'negros', 'negras'],
  ['silver', 'plateado', 'plateada', 'plata'],
  ['colour', 'color', 'colors', 'colours', 'colores', 'finish', 'finishes', 'acabado', 'acabados', 'white', 'blanco', 'blanca', 'grey', 'gray', 'gris', 'red', 'rojo', 'roja', 'blue', 'azul', 'green', 'verde', 'pink', 'rosa', 'gold', 'dorado', 'dorada', 'beige', 'black', 'silver'],
  ['discount', 'descuento', 'descuentos', 'code', 'codigo', 'coupon', 'cupon', 'voucher', 'promo', 'promocional', 'promotion', 'promocion', 'offer', 'oferta', 'ofertas', 'deal', 'deals', 'rebaja', 'rebajas', 'off', 'percent', 'porcentaje', 'save', 'saving', 'savings', 'ahorrar'],
  ['giveaway', 'sorteo', 'sortear', 'sorteamos', 'sorteais', 'raffle', 'win', 'winner', 'ganar', 'ganador', 'prize', 'premio', 'contest', 'concurso'],
  ['country', 'countries', 'pais', 'paises', 'international', 'internacional', 'internacionales', 'abroad', 'extranjero', 'overseas', 'worldwide'],
  ['support', 'soporte', 'help', 'ayuda', 'contact', 'contactar', 'contacto', 'email', 'correo', 'mail', 'atencion', 'talk', 'speak', 'hablar', 'hablo', 'write', 'escribir', 'escribo', 'phone', 'telefono', 'llamar', 'call', 'problem', 'problems', 'problema', 'problemas', 'issue', 'issues', 'incidencia', 'service', 'servicio', 'missing', 'lost', 'perdido', 'reach'],
  ['replay', 'replays', 'recording', 'recordings', 'recorded', 'rewatch', 'grabacion', 'grabaciones', 'grabado', 'repeticion', 'later', 'despues', 'luego', 'miss', 'missed', 'perder', 'perdi', 'perdido', 'vod', 'upload', 'uploaded', 'subir', 'subis', 'suben', 'archive', 'archivo', 'youtube', 'twitch', 'vimeo'],
  ['camera', 'camara', 'cam', 'body', 'cuerpo'],
  ['card', 'cards', 'tarjeta', 'tarjetas'],
  ['enter', 'entry', 'entries', 'join', 'participate', 'participar', 'participo', 'participa', 'participan', 'entrar', 'entro', 'apuntarse', 'apunto', 'inscribirse', 'inscribo'],
  ['lens', 'lenses', 'lente', 'lentes', 'objetivo', 'objetivos', 'optics', 'optica', 'glass'],
  // Fits and works with: light words (lightWords.ts) that still say a fact is about compatibility.
  ['fit', 'fits', 'compatible', 'compatibles', 'compatibility', 'compatibilidad', 'encaja', 'encajan', 'sirve', 'sirven', 'valen', 'vale', 'accept', 'accepts', 'admite', 'admiten', 'soporta', 'soportan', 'takes', 'take', 'work', 'works', 'funciona', 'funcionan'],
  ['mount', 'mounts', 'montura', 'monturas', 'bayoneta', 'adapter', 'adapters', 'adaptador', 'adaptadores', 'adaptar'],
  ['video', 'videos', 'film', 'filming', 'record', 'records', 'recording', 'grabar', 'graba', 'graban', 'grabacion', 'footage', 'shoot', 'shoots'],
  ['photo', 'photos', 'foto', 'fotos', 'picture', 'pictures', 'pic', 'pics', 'imagen', 'imagenes', 'image', 'images', 'shot', 'shots', 'disparo', 'disparos', 'shooting', 'shoot', 'shoots'],
  ['fps', 'framerate', 'fotogramas', 'fotograma', 'cuadros', 'frames', 'frame', 'slowmo'],
  ['megapixel', 'megapixels', 'megapixeles', 'mp', 'mpx', 'resolution', 'resolucion', 'pixels', 'pixeles'],
  // Sensor sizes and formats; "full frame", "APS-C" become `sensorformat` in analyze.ts.
  ['sensorformat', 'format', 'formato', 'crop', 'size', 'tamano'],
  ['storage', 'gb', 'tb', 'mb', 'gigas', 'giga', 'gigabytes', 'gigabyte', 'terabyte', 'terabytes', 'tera', 'teras', 'capacity', 'capacidad', 'memory', 'memoria', 'space', 'espacio'],
  ['include', 'included', 'includes', 'including', 'incluye', 'incluyen', 'incluido', 'incluida', 'incluidos', 'incluir', 'box', 'caja', 'trae', 'traen', 'bundle'],
  ['stock', 'available', 'availability', 'disponible', 'disponibles', 'disponibilidad', 'sold', 'agotado', 'agotada', 'agotados', 'agotadas', 'left', 'preorder', 'preorders', 'reserva', 'reservas', 'reservar', 'reserve', 'backorder', 'release', 'released', 'lanzamiento', 'venta'],
  ['free', 'gratis', 'gratuito', 'gratuita'],
  ['warehouse', 'almacen', 'leave', 'leaves', 'salen', 'sale', 'salir'],
  // Second meanings of words whose first group is above: a question may mean these too.
  ['episode', 'episodes', 'episodio', 'episodios'],
  ['duration', 'plazo', 'plazos', 'eta'],
  ['schedule', 'episode', 'episodes', 'episodio', 'episodios'],
  ['episode', 'stream', 'streams', 'show', 'directo', 'programa', 'live'],
  ['price', 'charge', 'charged', 'charges', 'vale', 'valen', 'sale'],
  ['discount', 'vale', 'sale'],
];

/**
 * Countries and regions, which a sheet names for where it ships and a viewer names for where
 * they live: each stays itself and also means `country`, so "do you deliver to Canada" meets
 * the fact that lists where the shop delivers. Folded, English and Spanish names.
 */
const PLACES = `europe europa european europea eu ue uk britain england inglaterra scotland escocia ireland irlanda
germany alemania france francia spain espana italy italia portugal netherlands holland holanda paises belgium belgica
switzerland suiza austria poland polonia sweden suecia norway noruega denmark dinamarca finland finlandia greece grecia
czechia chequia hungary hungria romania rumania america eeuu canada mexico argentina chile colombia peru brasil
brazil venezuela uruguay ecuador bolivia paraguay cuba australia japan japon china india korea corea russia rusia turkey
turquia africa morocco marruecos`;

function build(): { primary: Map<string, string>; senses: Map<string, string[]> } {
  const primary = new Map<string, string>();
  const senses = new Map<string, string[]>();
  const add = (word: string, head: string) => {
    const key = stem(word);
    if (!primary.has(key)) primary.set(key, head);
    const list = senses.get(key) ?? [];
    if (!list.includes(head)) list.push(head);
    senses.set(key, list);
  };
  for (const group of GROUPS) {
    const head = stem(group[0]!);
    for (const word of group) add(word, head);
  }
  const country = stem('country');
  for (const place of PLACES.split(/\s+/).filter(Boolean)) {
    const key = stem(place);
    if (!senses.has(key)) add(place, key);
    add(place, country);
  }
  return { primary, senses };
}

const LEXICON = build();

/** Stem → the stem of its first group's first word: what the word means in a fact. */
export const SYNONYMS: ReadonlyMap<string, string> = LEXICON.primary;

/** Stem → every group head it may mean in a question, its first group's first. */
export const SENSES: ReadonlyMap<string, readonly string[]> = LEXICON.senses;
