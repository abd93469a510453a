/**
 * Where a viewer's data lives in Redis. Every key (or set membership) written for a viewer
 * is also recorded in the viewer's index set, so that deleting a viewer's data is one call
 * (ViewerDataEraser) however many stores wrote it. Index members are `<op> <key>[ <key2>]`:
 * - `del <key>`: the key holds only this viewer's data;
 * - `srem <key>`: the viewer's id is a member of a shared set (e.g. a poll's voters);
 * - `xdel <streamKey> <listKey>`: the list holds ids of this viewer's entries in a shared stream.
 */
export function viewerKeys(prefix: string) {
  return {
    session: (showId: string, viewerId: string) => `${prefix}:session:${showId}:${viewerId}`,
    profile: (viewerId: string) => `${prefix}:profile:${viewerId}`,
    index: (viewerId: string) => `${prefix}:viewer:${viewerId}:keys`,
    auditStream: (showId: string) => `${prefix}:audit:${showId}`,
    auditOfViewer: (showId: string, viewerId: string) => `${prefix}:audit:${showId}:viewer:${viewerId}`,
    pollVoters: (pollId: string) => `${prefix}:poll:${pollId}:voters`,
    pollTally: (pollId: string) => `${prefix}:poll:${pollId}:tally`,
  };
}

export type ViewerKeys = ReturnType<typeof viewerKeys>;

export const indexMember = {
  del: (key: string) => `del ${key}`,
  srem: (key: string) => `srem ${key}`,
  xdel: (streamKey: string, listKey: string) => `xdel ${streamKey} ${listKey}`,
};
