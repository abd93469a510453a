/** The viewer page's WHEP reconnect backoff, and its grace for a `disconnected` connection (client/common/whep.js). */
export const PAGE_BACKOFF_MS = [500, 1_000, 2_000, 4_000, 8_000];
export const PAGE_DISCONNECTED_GRACE_MS = 3_000;

export type PageWhepAnswer =
  | {
      ok: true;
      answer: string;
      /** The node that answered, after any 307. */
      servedBy: string;
      /** The session's URL, for its DELETE. */
      location: string | undefined;
      /** A viewer token the server minted for this viewer (the first offer has none). */
      minted: string | undefined;
      /** `X-OnAir-Alternates`: other nodes' WHEP endpoints for the show. */
      alternates: string[] | undefined;
    }
  /** `network`: the node did not answer at all. `tokenRejected`: drop the token, as the page does. */
  | { ok: false; code: string; network: boolean; tokenRejected: boolean };

/** One WHEP offer as the viewer page sends it: with its token once it has one, 5 s at most. */
export async function postPageOffer(endpoint: string, offer: string, token: string | undefined): Promise<PageWhepAnswer> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/sdp', ...(token && { authorization: `Bearer ${token}` }) },
      body: offer,
      signal: AbortSignal.timeout(5_000),
    });
  } catch (error) {
    return { ok: false, code: `network: ${(error as Error).message}`, network: true, tokenRejected: false };
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: { code?: string } };
    const code = body.error?.code ?? `HTTP_${response.status}`;
    return { ok: false, code, network: false, tokenRejected: code === 'AUTH_INVALID' || code === 'TOKEN_WRONG_SHOW' };
  }
  const location = response.headers.get('location');
  const alternates = response.headers.get('x-onair-alternates');
  return {
    ok: true,
    answer: await response.text(),
    servedBy: new URL(response.url).origin,
    location: location ? new URL(location, response.url).href : undefined,
    minted: response.headers.get('x-onair-viewer-token') ?? undefined,
    alternates: alternates === null ? undefined : alternates.split(',').map((url) => url.trim()).filter(Boolean),
  };
}
