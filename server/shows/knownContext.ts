import type { ShowContext } from '../../pipeline/script/index.js';
import type { ShowAudience } from '../audience/ShowAudience.js';
import type { ShowRundown } from '../rundown/ShowRundown.js';
import type { Show } from './Show.js';

/**
 * What every prompt of a show starts from (ShowCues.knownContext): its title, the host's
 * topic and, while the autopilot plays or is paused, the rundown's segment on air (its title
 * and talking points), so a host's own prompt knows it as the autopilot's prompts do. A cue's
 * own context wins field by field.
 */
export function knownContext(
  show: Show,
  audience: ShowAudience | undefined,
  rundown?: ShowRundown,
): ShowContext {
  const topic = audience?.topic;
  const segment = rundown?.segmentOnAir();
  return { title: show.title, ...(topic !== undefined && { topic }), ...(segment && { segment }) };
}
