/** Who owns which WHEP session; the SFU itself only knows session ids. */
export interface WhepSession {
  sessionId: string;
  showId: string;
  viewerId: string;
  createdAtMs: number;
}

export class WhepSessions {
  private readonly sessions = new Map<string, WhepSession>();

  add(session: WhepSession): void {
    this.sessions.set(session.sessionId, session);
  }

  get(sessionId: string): WhepSession | undefined {
    return this.sessions.get(sessionId);
  }

  delete(sessionId: string): boolean {
    return this.sessions.delete(sessionId);
  }

  get size(): number {
    return this.sessions.size;
  }
}
