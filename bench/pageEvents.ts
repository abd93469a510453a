/**
 * What a viewer page sends about the CTAs it is shown, one event at a time: an impression of
 * a new one, then a dismissal or (one time in ten) a click of the one on screen, each of which
 * makes a new decision; a heartbeat when nothing is on screen.
 */
export class PageCtaEvents {
  private onScreen: string | undefined;
  private unseen: string | undefined;

  /** An `overlay` message with a decision: a CTA the page will show. */
  shown(decisionId: string): void {
    this.unseen = decisionId;
  }

  next(watchMs: number): [event: string, payload: object] {
    if (this.unseen) {
      this.onScreen = this.unseen;
      this.unseen = undefined;
      return ['cta_impression', { decisionId: this.onScreen }];
    }
    if (this.onScreen) {
      const decisionId = this.onScreen;
      this.onScreen = undefined;
      return [Math.random() < 0.1 ? 'cta_click' : 'cta_dismiss', { decisionId }];
    }
    return ['heartbeat', { watchMs }];
  }
}
