/**
 * The `data` payloads of a Server-Sent Events byte stream, per the SSE spec: lines end in
 * LF, CR or CRLF; `data:` lines of one event are joined with LF; a blank line dispatches;
 * comments (`:`) and other fields (`event`, `id`, `retry`) are ignored.
 */
export async function* sseData(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = '';
  let data: string[] = [];
  for await (const bytes of body) {
    const text = pending + decoder.decode(bytes, { stream: true });
    // A trailing CR may be the first half of a CRLF: it waits for the next chunk.
    const heldCr = text.endsWith('\r') ? '\r' : '';
    const lines = (heldCr ? text.slice(0, -1) : text).split(/\r\n|\r|\n/);
    pending = (lines.pop() ?? '') + heldCr;
    for (const line of lines) {
      if (line === '') {
        if (data.length > 0) yield data.join('\n');
        data = [];
      } else if (line.startsWith('data:')) {
        data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
      }
    }
  }
  pending = (pending + decoder.decode()).replace(/\r$/, '');
  if (pending.startsWith('data:')) data.push(pending.slice(pending.startsWith('data: ') ? 6 : 5));
  if (data.length > 0) yield data.join('\n');
}
