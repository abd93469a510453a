/**
 * Wall-clock ms with sub-ms resolution, comparable across this machine's processes: the same
 * base the server's stream epoch uses (`LiveLane.startedAtEpochMs`), so a viewer process can
 * tell the show's current stream time, and fault times line up with viewers' packet times.
 */
export const epochMs = (): number => performance.timeOrigin + performance.now();
