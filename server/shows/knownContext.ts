import type { ShowContext } from '../../pipeline/script/index.js';
import type { ShowAudience } from '../audience/ShowAudience.js';
import type { Show } from './Show.js';

/**
 * What every prompt of a show starts from (ShowCues.knownContext): its title and the host's
 * topic. The rundown adds the current segment here. A cue's own context wins field by field.
 */
export function knownContext(show: Show, audience: ShowAudience | undefined): ShowContext {
  const topic = audience?.topic;
  return { title: show.title, ...(topic !== undefined && { topic }) };
}
