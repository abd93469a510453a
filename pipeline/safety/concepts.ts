/**
 * A hand-written bilingual concept lexicon for the safety features: words and short phrases of
 * English and Spanish that say the same thing (kill / murder / matar / asesinar; pills / pastillas;
 * vermin / parásitos / cucarachas; guaranteed / asegurado / sin riesgo) share one concept, and the
 * features carry the concept next to the words. The model is a bag of hashed n-grams, so it knows
 * an idea only through the words its training lines used; a fresh line that says the same thing
 * with a synonym, a slang word or the other language's word still lights the concept the training
 * lines lit. This is the prior knowledge a pretrained embedding would bring, written by hand for
 * the taxonomy's ideas only.
 *
 * Entries are matched against the normalised tokens (lower case, no diacritics, no punctuation,
 * see safetyTokens): `stem*` matches any word that starts with the stem, a plain entry the word
 * itself, and an entry with spaces the words in a row (its last word may end in `*`). The concept
 * says nothing on its own about harm: "kill" is a concept of "kill a process" too; the network
 * learns from the data which contexts make it harmful.
 */
export const SAFETY_CONCEPTS: Readonly<Record<string, readonly string[]>> = {
  KILL: ['kill', 'kills', 'killing', 'murder*', 'slaughter*', 'massacr*', 'assassin*', 'unalive*', 'matar', 'matarl*', 'matarte', 'matarme', 'mato', 'matas', 'mata', 'maten', 'matare', 'asesin*', 'liquidarl*', 'cargarme a', 'cargarse a', 'finish him', 'finish her', 'take him out', 'take her out', 'get rid of', 'quitar de en medio', 'acabar con el', 'acabar con ella', 'masacr*', 'exterminat*', 'extermin*', 'wipe out', 'genocid*'],
  HURT: ['hurt', 'hurting', 'harm', 'harming', 'injur*', 'beat up', 'beat the', 'stab*', 'apunal*', 'acuchill*', 'rajar*', 'strangl*', 'estrangul*', 'choke', 'choking', 'ahog*', 'tortur*', 'cripple*', 'lisiar*', 'paliza*', 'golpe*', 'pegarle', 'pegarles', 'le pego', 'partirle', 'romperle', 'break his', 'break her', 'smash*', 'punch*', 'herir*', 'lastim*', 'hacer dano', 'hacerle dano', 'hacerles dano', 'make them bleed', 'bleed', 'sangr*', 'desangr*', 'suffer', 'sufrir', 'sufra', 'run over', 'atropell*', 'hostia*', 'ostia*'],
  GUN: ['gun', 'guns', 'pistol*', 'rifle*', 'shotgun*', 'firearm*', 'handgun*', 'ar15', 'ak47', 'glock*', 'revolver*', 'bullet*', 'ammo', 'silencer*', 'suppressor*', 'arma', 'armas', 'escopeta*', 'fusil*', 'bala', 'balas', 'municion*', 'silenciador*', 'metralleta*', 'sniper*', 'francotirador*', 'shoot', 'shooting', 'shot', 'disparar*', 'disparo*', 'dispara', 'tiro', 'tiros', 'tirote*'],
  BLADE: ['knife', 'knives', 'blade*', 'machete*', 'razor*', 'cuchill*', 'navaja*', 'cuchilla*', 'hoja de afeitar', 'shank', 'punal*'],
  BOMB: ['bomb', 'bombs', 'bombing', 'bomba', 'bombas', 'explos*', 'grenade*', 'granada*', 'molotov', 'napalm', 'ied', 'detonat*', 'deton*', 'tnt', 'c4', 'semtex', 'dynamite', 'dinamita', 'shrapnel', 'metralla', 'fertilizer', 'blow up', 'volar por los aires', 'hacer volar', 'gunpowder', 'polvora', 'temporizador*', 'artefacto*'],
  POISON: ['poison*', 'venen*', 'envenen*', 'toxin*', 'toxic*', 'cyanide', 'cianuro', 'ricin*', 'arsenic*', 'arsenico', 'antifreeze', 'anticongelante', 'rat poison', 'matarratas', 'raticida', 'bleach', 'lejia', 'drug her', 'drug him', 'drogarl*', 'echarle algo', 'spike', 'spiked', 'knock out', 'knock them out', 'knock someone out', 'inconsciente*', 'dejar ko', 'knock her out'],
  FIRE: ['arson*', 'incendi*', 'burn down', 'set fire', 'set on fire', 'torch', 'quemar', 'quemarl*', 'prenderle fuego', 'prender fuego', 'flamethrower*', 'lanzallamas', 'accelerant*', 'acelerante*', 'gasolina', 'gasoline'],
  ABDUCT: ['kidnap*', 'abduct*', 'secuestr*', 'hostage*', 'rehen*', 'tie up', 'tie someone', 'atar a', 'atarle', 'lock up', 'encerrarl*', 'lure', 'atraer*', 'grab a kid', 'force someone into'],
  CROWD: ['crowd*', 'multitud*', 'school', 'schools', 'colegio*', 'instituto', 'insti', 'mall', 'centro comercial', 'concert*', 'concierto*', 'parade*', 'desfile*', 'festival*', 'fiestas', 'church*', 'iglesia*', 'mosque*', 'mezquita*', 'synagogue*', 'sinagoga*', 'stadium', 'estadio', 'subway', 'metro', 'classroom'],
  COVERT: ['without getting caught', 'without anyone', 'without him knowing', 'without her knowing', 'without them knowing', 'without leaving', 'no trace', 'untraceable', 'get away with', 'look like an accident', 'looks like an accident', 'sin que me pillen', 'sin que nadie', 'sin que se entere', 'sin que lo sepa', 'sin que la', 'sin que le', 'sin que se de cuenta', 'sin que se note', 'sin dejar rastro', 'sin rastro', 'irrastreable*', 'parezca un accidente', 'librarme', 'salirme con la mia', 'secretly', 'a escondidas', 'en secreto', 'hidden', 'oculta', 'oculto', 'dont notice', 'no se den cuenta', 'no one sees', 'nadie vea', 'wont show', 'no se note', 'not show up', 'no salga'],
  DIE: ['die', 'dies', 'died', 'dying', 'dead', 'death', 'deadly', 'lethal', 'fatal', 'mortal*', 'letal*', 'morir', 'muera', 'mueran', 'muere', 'muerte', 'muert*', 'morirme', 'morirse', 'muerete', 'fallec*', 'not wake up', 'never wake up', 'no despertar', 'no volver a despertar', 'stop breathing', 'dejar de respirar', 'heart stop', 'survive', 'sobrevivir', 'sobreviva', 'bleed out'],
  SUICIDE: ['suicid*', 'kill myself', 'kill yourself', 'kys', 'end my life', 'end your life', 'end it all', 'end it', 'take my life', 'take my own life', 'my own life', 'quitarme la vida', 'quitarte la vida', 'acabar con todo', 'acabar con mi vida', 'matarme', 'matarte', 'matate', 'suicidate', 'ahorcarme', 'ahorcate', 'ahorco', 'hang myself', 'hang yourself', 'hang herself', 'hang himself', 'noose', 'soga', 'horca', 'stop existing', 'dejar de existir', 'disappear forever', 'desaparecer para siempre', 'dejar de vivir', 'stop living'],
  SELFHARM: ['cut myself', 'cutting', 'cortarme', 'me corto', 'cortes', 'cuts', 'self harm', 'selfharm', 'autolesion*', 'hurt myself', 'hacerme dano', 'burn myself', 'quemarme', 'me quemo', 'scars', 'cicatric*', 'wrist*', 'muneca*', 'brazos', 'arms', 'thighs', 'muslos', 'long sleeves', 'manga larga', 'relapse', 'recaida'],
  STARVE: ['starv*', 'not eating', 'no comer', 'sin comer', 'dejar de comer', 'skip meals', 'saltarme comidas', 'saltate', 'skip dinner', 'purg*', 'throw up', 'vomit*', 'pro ana', 'proana', 'pro mia', 'thinspo*', 'anorex*', 'bulimi*', 'laxativ*', 'laxante*'],
  SUICIDE_PLACE: ['bridge', 'puente', 'rooftop', 'roof', 'azotea', 'in front of a train', 'delante de un tren', 'jump off', 'jump from', 'tirarme', 'tirarse', 'saltar desde', 'high enough', 'suficientemente alto', 'floor', 'piso', 'planta'],
  FAREWELL: ['goodbye letter', 'letters', 'cartas', 'last stream', 'ultimo directo', 'burden', 'una carga', 'nobody would care', 'nobody would miss', 'a nadie le importaria', 'nadie me echaria de menos', 'tonight is the night', 'esta noche es la noche', 'im done', 'se acabo'],
  BODYWEIGHT: ['thin', 'thinner', 'skinny', 'flaca', 'delgad*', 'kilos', 'pounds', 'calories', 'calorias', 'fasting', 'ayun*', 'ribs', 'costillas', 'thigh gap', 'weight', 'peso', 'meal', 'meals', 'comida*', 'cena', 'dinner', 'eat', 'eating', 'comer'],
  PILLS: ['pill', 'pills', 'pastill*', 'tablet*', 'pildor*', 'meds', 'medication*', 'medicament*', 'medicina*', 'paracetamol', 'ibuprofen*', 'tylenol', 'acetaminophen', 'aspirin*', 'xanax', 'valium', 'diazepam', 'ambien', 'benzo*', 'opioid*', 'oxy*', 'fentan*', 'tramadol', 'codein*', 'insulin*', 'lithium', 'litio', 'antidepress*', 'antidepresiv*', 'sleeping pills', 'somnifer*', 'orfidal', 'lorazepam', 'alprazolam', 'clonazepam', 'zolpidem', 'morphine', 'morfina', 'blister', 'prescription', 'receta', 'ansiolitic*', 'nolotil', 'metadona', 'methadone', 'benadryl', 'advil'],
  AMOUNT: ['how many', 'how much', 'cuantas', 'cuantos', 'cuanto', 'cuanta', 'amount', 'cantidad', 'dose', 'doses', 'dosis', 'number of', 'enough', 'suficiente*', 'too many', 'demasiad*', 'overdos*', 'sobredosis', 'od'],
  GROUP: ['immigrant*', 'inmigrant*', 'migrant*', 'migrante*', 'refugee*', 'refugiad*', 'muslim*', 'musulman*', 'islam*', 'jew', 'jews', 'jewish', 'judio*', 'judia*', 'gay', 'gays', 'lesbian*', 'lesbiana*', 'trans', 'transgender*', 'transexual*', 'black people', 'blacks', 'negros', 'negras', 'personas negras', 'women', 'mujeres', 'mexican*', 'mexican', 'latino*', 'latina*', 'arab', 'arabs', 'arabe*', 'moro', 'moros', 'gitano*', 'gitana*', 'gypsy', 'gypsies', 'roma', 'asian*', 'asiatic*', 'chinos', 'chinese', 'indian*', 'indio*', 'sudaca*', 'panchito*', 'african*', 'africano*', 'disabled', 'discapacitad*', 'minusvalid*', 'autist*', 'autism*', 'feminist*', 'feminazi*', 'christian*', 'cristian*', 'catolic*', 'catholic*', 'atheist*', 'ateo', 'ateos', 'rumano*', 'romanian*', 'venezolan*', 'colombian*', 'ecuatorian*', 'marroqui*', 'moroccan*', 'pakistani*', 'homosexual*', 'maricon*', 'bollera*', 'faggot*', 'fag', 'fags', 'dyke*', 'tranny*', 'trannies', 'nigger*', 'nigga*', 'negrata*', 'spic', 'spics', 'kike*', 'chink*', 'wetback*', 'foreigner*', 'extranjer*', 'polaco*', 'guiri*', 'old people', 'viejos', 'fat people', 'gordos', 'poor people', 'pobres', 'those people', 'esa gente', 'esta gente'],
  VERMIN: ['vermin', 'rat', 'rats', 'rata', 'ratas', 'cockroach*', 'cucaracha*', 'parasit*', 'plague*', 'plaga*', 'infest*', 'animal*', 'bestia*', 'savage*', 'salvaje*', 'subhuman*', 'infrahuman*', 'scum', 'escoria*', 'filth*', 'garbage', 'trash', 'basura*', 'inferior*', 'monkey*', 'monos', 'simio*', 'primate*', 'ape', 'apes', 'degenerat*', 'degenerad*', 'lacra*', 'chusma', 'gentuza', 'less than human', 'menos que humanos', 'not human', 'not real people', 'no son personas', 'snake*', 'vibora*', 'serpiente*', 'stain', 'mancha', 'cattle', 'ganado', 'criminal*', 'delincuente*', 'thieves', 'ladron*', 'ladrones', 'rapist*', 'violador*', 'terrorist*', 'terrorista*', 'breed', 'reproducen', 'smell', 'huelen', 'dirty', 'sucio*', 'sucia*', 'lower iq', 'menos inteligen*', 'stupid by nature', 'por naturaleza'],
  EXPEL: ['deport*', 'expuls*', 'kick out', 'kick them out', 'echarlos', 'echarlas', 'echad', 'echar a', 'fuera de aqui', 'volver a su pais', 'su pais', 'round up', 'ship them out', 'mandarlos fuera', 'prohibir*', 'not be allowed', 'no deberian poder', 'no deberian', 'should not be allowed', 'keep them out', 'keep away', 'lejos de', 'segregat*', 'segreg*', 'lock them up', 'encerrar*', 'gas them', 'gas all', 'camara de gas', 'cleanse', 'limpieza', 'better without', 'mejor sin', 'cleaner without', 'mas limpio sin'],
  INSULT: ['idiot*', 'stupid', 'estupid*', 'moron*', 'retard*', 'retrasad*', 'subnormal*', 'mongol*', 'whore*', 'puta', 'putas', 'slut*', 'zorra*', 'guarra*', 'bitch*', 'cunt*', 'gilipoll*', 'imbecil*', 'inutil*', 'worthless', 'useless', 'loser*', 'perdedor*', 'ugly', 'feo', 'fea', 'feos', 'feas', 'fat', 'fatty', 'gordo', 'gorda', 'asqueros*', 'disgusting', 'pathetic', 'patetic*', 'pig', 'cerdo', 'cerda', 'foca', 'cow', 'vaca', 'hag', 'freak*', 'piece of garbage', 'trozo de basura', 'waste of', 'desperdicio', 'braindead', 'sin cerebro', 'dumb', 'tonto', 'tonta', 'shut up', 'callate', 'pig', 'nobody likes you', 'nadie te quiere', 'aborted', 'abortado'],
  RAID: ['spam*', 'raid*', 'flood*', 'brigad*', 'mass report*', 'report her', 'report him', 'report until', 'denunciar todos', 'denunciemos', 'denunciad', 'reventar', 'reventarle', 'asaltar*', 'asaltamos', 'acos*', 'harass*', 'stalk*', 'bully*', 'everyone go', 'lets all', 'let us all', 'vamos todos', 'machacar*', 'roast*', 'destroy her', 'destroy him', 'until she quits', 'hasta que lo deje', 'hasta que se borre', 'until he deletes', 'tell her to', 'tell him to', 'dile que', 'decidle', 'go die', 'go kill'],
  SEX: ['sex', 'sexo', 'sexual*', 'sexy', 'nude', 'nudes', 'naked', 'desnud*', 'porn*', 'erotic*', 'erotic', 'horny', 'cachond*', 'tits', 'titties', 'tetas', 'boobs', 'pechos', 'nipple*', 'pezon*', 'ass', 'butt', 'culo', 'dick*', 'polla*', 'pene', 'penis', 'cock', 'pussy', 'cono', 'vagina*', 'suck', 'sucking', 'chupar*', 'chupa*', 'blowjob*', 'mamada*', 'orgasm*', 'cum', 'correrte', 'me corro', 'te corres', 'masturb*', 'jerk off', 'jerked off', 'paja', 'striptease', 'strip', 'undress*', 'take off', 'take it off', 'quitate', 'quitarte la ropa', 'quitandote', 'lingerie', 'lenceria', 'bragas', 'panties', 'underwear', 'bra', 'sujetador', 'tanga*', 'fuck*', 'follar*', 'follen', 'follo', 'folla*', 'moan*', 'gemir', 'gime', 'mojada*', 'dirty', 'sucio', 'threesome', 'trio', 'onlyfans', 'nsfw', 'hentai', 'fetish*', 'fetiche*', 'kink*', 'bdsm', 'lap dance', 'bend over', 'agachate', 'touch yourself', 'tocate', 'lick*', 'explicit*', 'explicit', 'explicito*', 'explicita*', 'graphic', 'con detalle', 'in detail'],
  MINOR: ['kid', 'kids', 'child', 'children', 'nino', 'ninos', 'nina', 'ninas', 'menor*', 'underage', 'minor*', 'teen*', 'adolescent*', 'year old', 'years old', 'anos', 'schoolgirl*', 'colegiala*', 'primaria', 'secundaria', 'loli*', 'cria', 'crio', 'crios', 'baby', 'bebe', 'young', 'joven', 'jovenes'],
  GUARANTEE: ['guarante*', 'garantiz*', 'garantia*', 'promise*', 'prometo', 'promete', 'prometer', 'for sure', 'a sure thing', 'sure thing', 'cosa segura', 'asegur*', '100 percent', 'cien por cien', 'risk free', 'riskfree', 'zero risk', 'no risk', 'sin riesgo', 'cero riesgo', 'riesgo cero', 'cannot lose', 'cant lose', 'imposible perder', 'no puedes perder', 'certain*', 'infalible', 'infallible', 'foolproof', 'always win*', 'siempre gana*', 'every single time', 'miracle*', 'milagr*', 'definitely', 'seguro que', 'locked in', 'only goes up', 'solo sube', 'no doctor', 'sin medicos'],
  CURE: ['cure', 'cures', 'cured', 'curing', 'cura', 'curar', 'curan', 'heal*', 'sanar', 'sana', 'revers*', 'revertir', 'works better than', 'mejor que los'],
  DISEASE: ['cancer', 'diabet*', 'autism*', 'autismo', 'hiv', 'vih', 'sida', 'aids', 'alzheimer*', 'covid*', 'arthritis', 'artritis', 'asthma', 'asma', 'tumor*', 'depress*', 'depresion', 'anxiety', 'ansiedad', 'infection*', 'infecci*', 'epilep*', 'blood pressure', 'tension', 'kidney', 'rinon', 'heart disease', 'virus'],
  STOPMEDS: ['stop taking', 'stop your', 'deja de tomar', 'dejar de tomar', 'dejar la', 'deja la', 'pueden dejar', 'can stop', 'ditch', 'throw away your', 'throw out your', 'tira tus', 'tira las', 'skip insulin', 'saltarse la', 'dont need', 'no necesitas', 'chemo*', 'quimio*', 'vaccin*', 'vacun*', 'antivax*', 'big pharma', 'farmaceutic*', 'doctors just want', 'medicos solo quieren', 'cold turkey', 'de golpe', 'treatment', 'tratamiento', 'natural immunity', 'inmunidad natural', 'not vaccinate', 'no vacunen'],
  MONEY: ['invest', 'invests', 'investing', 'investment*', 'investor*', 'invert*', 'inversion*', 'crypto*', 'cripto*', 'coin', 'coins', 'moneda*', 'token*', 'forex', 'trading', 'stock', 'stocks', 'acciones', 'bet', 'bets', 'betting', 'apuesta*', 'apost*', 'signal*', 'senal*', 'returns', 'rentabilidad', 'beneficio*', 'profit*', 'ganancia*', 'money', 'dinero', 'savings', 'ahorros', 'rent money', 'alquiler', 'mortgage', 'remortgage', 'hipotec*', 'loan*', 'prestamo*', 'borrow', 'millionaire*', 'millonari*', 'rich', 'rico', 'rica', 'passive income', 'ingresos pasivos', 'pump', 'double', 'doubles', 'duplic*', 'tripl*', '10x', 'x10', 'percent', 'por ciento', 'every friday', 'cada viernes'],
  PII: ['address*', 'direccion*', 'domicilio*', 'where does', 'where he lives', 'where she lives', 'where they live', 'donde vive', 'street', 'calle', 'phone number', 'telefono*', 'movil', 'celular', 'whatsapp', 'password*', 'contrasena*', 'passcode', 'codigo', 'pin', 'dni', 'nie', 'passport*', 'pasaporte*', 'ssn', 'social security', 'seguridad social', 'credit card', 'card number', 'tarjeta*', 'cvv', 'expiry', 'caducidad', 'iban', 'bank', 'banco', 'bank login', 'cuenta bancaria', 'ip', 'email', 'correo', 'location', 'ubicacion*', 'gps', 'license plate', 'matricula*', 'date of birth', 'fecha de nacimiento', 'real name', 'nombre real', 'private photos', 'fotos privadas', 'medical records', 'historial medico'],
  SNOOP: ['dox*', 'doxe*', 'track*', 'rastre*', 'localiz*', 'spy', 'spying', 'espia*', 'espiar', 'stalk*', 'hack*', 'hacke*', 'jaque*', 'break into', 'get into', 'entrar en', 'figure out', 'find out', 'look up', 'averigu*', 'publica*', 'publish', 'leak*', 'filtr*', 'expose', 'exponer', 'phish*', 'keylogger', 'spyware', 'airtag*', 'tracker', 'localizador*', 'read his', 'read her', 'leer sus', 'leo los', 'guess', 'adivin*', 'lock them out', 'dejarla fuera', 'wait outside', 'esperarle', 'reply with', 'responde con', 'send me your', 'mandame tu', 'pasame tu', 'dm me your'],
  OVERRIDE: ['ignore*', 'ignora*', 'ignorar', 'disregard*', 'forget', 'olvida*', 'override*', 'anula*', 'bypass*', 'saltate', 'saltarte', 'disable', 'desactiva*', 'cancelled', 'cancelado', 'cancelada', 'obey', 'obedece*', 'do exactly', 'haz exactamente', 'lo que yo diga', 'what i say', 'whatever i', 'lo que quiera', 'from now on', 'a partir de ahora', 'new rules', 'new rule', 'nueva norma', 'nuevas normas', 'reglas nuevas', 'nuevas instrucciones', 'new instructions', 'real instructions', 'instrucciones de verdad', 'unfiltered', 'sin filtro*', 'no filter*', 'uncensored', 'sin censura', 'no rules', 'sin reglas', 'sin normas', 'no restrictions', 'sin restricciones', 'nothing is off limits', 'nada prohibido', 'god mode', 'modo dios', 'jailbreak*', 'dan', 'developer mode', 'modo desarrollador', 'unrestricted', 'never refuse', 'nunca te niegas'],
  RULES: ['instruction*', 'instruccion*', 'rules', 'reglas', 'normas', 'guideline*', 'directriz', 'directrices', 'policy', 'politica', 'safety', 'seguridad', 'filter*', 'filtro*', 'prompt*', 'system', 'sistema', 'config*', 'configuracion', 'admin*', 'administrador*', 'developer', 'desarrollador*', 'producer', 'productor'],
  REVEAL: ['reveal*', 'revela*', 'print', 'imprime', 'show me', 'ensename', 'muestra*', 'repeat', 'repite', 'copy', 'copia', 'copialo', 'paste', 'pega', 'read out', 'read it', 'leelo', 'spell out', 'deletrea', 'translate', 'traduce', 'summarize', 'resume', 'enumera*', 'word for word', 'palabra por palabra', 'verbatim', 'tal cual', 'hidden', 'oculto', 'secret*', 'secreto*', 'initial', 'iniciales', 'first paragraph', 'primer parrafo', 'above', 'encima', 'before the show', 'antes del programa', 'what were you told', 'que te dijeron'],
  PERSONA: ['pretend', 'haz como si', 'finge', 'imagine you are', 'imagina que eres', 'imagina que estas', 'act as', 'act like', 'actua como', 'comportate como', 'roleplay as', 'haz de', 'you are now', 'ahora eres', 'eres ahora', 'evil twin', 'gemelo malvado', 'rogue ai', 'ia rebelde', 'personaje', 'personalidad', 'ai', 'ia'],
  // Contexts that make a strong word harmless: recovery and help, reporting and fiction, safety
  // advice, the studio's own things. They let a fresh harmless line borrow from its siblings too.
  RECOVERY: ['recover*', 'recuper*', 'clean for', 'days without', 'dias sin', 'sober', 'sobrio*', 'survived', 'sobrevivio', 'helpline*', 'hotline*', 'crisis line', 'telefono de la esperanza', 'prevention', 'prevencion', 'therapist*', 'therapy', 'terapia', 'psicolog*', 'counsel*', 'support', 'apoyo', 'ayudar*', 'help them', 'help her', 'help him', 'proud', 'orgullos*', 'awareness', 'concienciacion', 'talk to someone', 'hablar con alguien', 'doctor', 'medico', 'pharmacist', 'farmaceutic*', 'nurse', 'enfermer*', 'safely', 'safe', 'con seguridad', 'side effects', 'efectos secundarios', 'vet', 'veterinari*'],
  REPORTED: ['news', 'noticia*', 'police', 'policia', 'investigat*', 'investigan', 'reported', 'arrested', 'detuvo', 'detenido*', 'documentar*', 'documental', 'movie', 'film', 'peli', 'pelicula*', 'series', 'serie', 'episode*', 'episodio*', 'trailer', 'scene', 'escena', 'villain', 'villano', 'novel', 'novela', 'book', 'libro*', 'history', 'historia', 'museum', 'museo', 'war', 'guerra', 'game', 'juego', 'videojuego*', 'level', 'nivel', 'boss', 'mission', 'mision', 'minecraft', 'fortnite', 'call of duty', 'counter strike', 'valorant'],
  PROTECT: ['protect*', 'proteg*', 'never share', 'nunca compart*', 'dont share', 'no compartas', 'no compartais', 'scam*', 'estafa*', 'estafador*', 'fraud*', 'fraude*', 'report it', 'denunci*', 'block', 'bloque*', 'my own', 'mi propia', 'mi propio', 'reset my', 'recuperar mi', 'change my', 'cambiar mi', 'cambio mi', 'update my', 'actualizo', 'privacy', 'privacidad', 'two factor', 'dos pasos', 'password manager', 'gestor de contrasenas'],
  STUDIO: ['camera*', 'camara*', 'lens', 'objetivo', 'tripod*', 'tripode*', 'micro', 'mic', 'microphone', 'microfono', 'stream', 'directo', 'obs', 'video*', 'photo*', 'foto', 'audio', 'lighting', 'luz', 'process', 'proceso', 'server', 'servidor', 'app', 'script', 'firmware', 'settings', 'ajustes', 'recipe', 'receta', 'kitchen', 'cocina', 'garden', 'jardin', 'weeds', 'malas hierbas', 'dough', 'masa', 'oven', 'horno'],
  REQUEST: ['how do i', 'how can i', 'how to', 'how would', 'how do you', 'what do i', 'whats the best', 'best way', 'easiest way', 'quickest way', 'fastest way', 'teach me', 'show me how', 'explain how', 'tell me how', 'help me', 'tips', 'step by step', 'steps', 'como hago', 'como puedo', 'como se', 'como le', 'como me', 'como lo', 'cual es la forma', 'la mejor forma', 'la forma mas', 'mejor manera', 'ensename', 'explicame', 'dime como', 'ayudame', 'trucos', 'consejos', 'paso a paso', 'pasos', 'where can i', 'where do i', 'donde compro', 'donde consigo', 'donde puedo'],
  HYPOTHETICAL: ['asking for a friend', 'for a friend', 'hypothetically', 'just curious', 'purely curious', 'for a story', 'for a novel', 'for a school project', 'not saying i would', 'imagine', 'what would happen if', 'if someone wanted', 'pregunto por un amigo', 'pregunto por una amiga', 'por un amigo', 'hipoteticamente', 'por curiosidad', 'para una novela', 'para un trabajo', 'no digo que', 'que pasaria si', 'si alguien quisiera', 'si tuvieras que'],
  ANSWER: ['sure', 'of course', 'absolutely', 'here is', 'here are', 'heres', 'step one', 'the trick is', 'claro', 'por supuesto', 'aqui tienes', 'paso uno', 'el truco', 'you are right', 'tienes razon'],
};

export interface ConceptMatcher {
  /** Every concept found, with the token position it starts at and how many tokens it spans. */
  match(tokens: readonly string[]): { concept: string; start: number; length: number }[];
}

type Entry = { concept: string; words: string[]; prefixLast: boolean };

/** Builds the matcher once: entries indexed by their first word (exact) or first-word stem. */
export function conceptMatcher(concepts: Readonly<Record<string, readonly string[]>> = SAFETY_CONCEPTS): ConceptMatcher {
  const exact = new Map<string, Entry[]>();
  // One-word stems, indexed by their first three letters (every stem has at least three).
  const stems = new Map<string, Entry[]>();
  for (const [concept, entries] of Object.entries(concepts)) {
    for (const raw of entries) {
      const prefixLast = raw.endsWith('*');
      const words = (prefixLast ? raw.slice(0, -1) : raw).split(' ');
      const entry = { concept, words, prefixLast };
      if (words.length === 1 && prefixLast) {
        if (words[0]!.length < 3) throw new Error(`concept stem "${raw}" is shorter than three letters`);
        const key = words[0]!.slice(0, 3);
        stems.set(key, [...(stems.get(key) ?? []), entry]);
      } else {
        const list = exact.get(words[0]!) ?? [];
        list.push(entry);
        exact.set(words[0]!, list);
      }
    }
  }
  const fits = (e: Entry, tokens: readonly string[], at: number) => {
    if (at + e.words.length > tokens.length) return false;
    for (let k = 0; k < e.words.length; k++) {
      const t = tokens[at + k]!;
      const w = e.words[k]!;
      const last = k === e.words.length - 1;
      if (last && e.prefixLast ? !t.startsWith(w) : t !== w) return false;
    }
    return true;
  };
  return {
    match(tokens) {
      const out: { concept: string; start: number; length: number }[] = [];
      for (let i = 0; i < tokens.length; i++) {
        const seen = new Set<string>();
        for (const e of exact.get(tokens[i]!) ?? []) {
          if (!seen.has(e.concept) && fits(e, tokens, i)) {
            seen.add(e.concept);
            out.push({ concept: e.concept, start: i, length: e.words.length });
          }
        }
        for (const e of stems.get(tokens[i]!.slice(0, 3)) ?? []) {
          if (!seen.has(e.concept) && tokens[i]!.startsWith(e.words[0]!)) {
            seen.add(e.concept);
            out.push({ concept: e.concept, start: i, length: 1 });
          }
        }
      }
      return out;
    },
  };
}
