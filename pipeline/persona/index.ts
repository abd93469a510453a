export * from '../../lib/media/Persona.js';
export * from './errors.js';
export { parsePersona, type ParsePersonaOptions } from './parsePersona.js';
export {
  PersonaCatalog,
  loadPersonas,
  getPersona,
  defaultPersonas,
  DEFAULT_PERSONAS_DIR,
} from './PersonaCatalog.js';
