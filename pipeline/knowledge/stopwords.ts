/**
 * Words that carry no fact: function words of English and Spanish (folded, without accents)
 * and the filler of live chat ("hey guys quick question"). One list for both languages,
 * because a term is dropped the same way from a fact and from a question whatever their
 * language, and the two lists barely collide.
 */
const ENGLISH = `a about above after again against all am an and any are aren as at be because been before
being below between both but by can cannot could couldn did didn do does doesn doing don down during each
few for from further had has have having he her here hers herself him himself his how i if in into is isn
it its itself just let me more most my myself no nor not of on once only or other our ours ourselves out
over own same she should so some such than that the their theirs them themselves then there these they this
those through to too under until up very was wasn we were weren what when where which while who whom why will
with won would you your yours yourself yourselves also get got gonna wanna im ive id youre whats wheres hows
theres thats dont doesnt didnt cant wont isnt arent u ur r ya yall pls plz please thanks thank thx hi hey hello
guys folks everyone anyone someone quick question questions know tell wondering wonder curious asking ask
like really actually just maybe perhaps lol haha omg btw ok okay yeah yes oh well so um uh hmm any idea ideas
sure mean there's one thing things something anything many per enough`;

const SPANISH = `a al algo algun alguna algunas alguno algunos ante antes como con contra cual cuales cuando
de del desde donde dos el ella ellas ello ellos en entre era eran eres es esa esas ese eso esos esta estaba
estado estan estar estas este esto estos estoy fue fueron ha habia han has hasta hay la las le les lo los mas
me mi mis mucho muy nada ni no nos nosotros o os otra otro para pero poco por porque que quien quienes se sea
ser si sin sobre son soy su sus tambien te tengo ti tiene tienen todo todos tu tus un una uno unos unas vosotros
y ya yo cual cuanto cuanta cuantos cuantas hola gracias porfa porfavor favor pregunta preguntas saber sabe
sabeis sabes alguien chicos gente oye oigan bueno pues jaja jeje xd q k tal dime decir decis podeis
puedo puede pueden podria podrias quiero queria quisiera duda dudas cosa hace hacen hacer vez gusta gustaria
estara estaran estaria estarian sera seran seria serian durante bajo
whole entire entero entera`;

export const STOPWORDS: ReadonlySet<string> = new Set(`${ENGLISH} ${SPANISH}`.split(/\s+/).filter(Boolean));
