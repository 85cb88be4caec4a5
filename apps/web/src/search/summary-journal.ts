/**
 * Which messages' list lines (snippet, attachment mark) may have changed, in the order they changed:
 * each change gets the next version, so the page asks only for what changed after the version of
 * its last answer instead of every summary after every sync. (Sending all 10,000 after each sync
 * and building a new Map of them was 191 ms of one 484 ms main-thread task in Chromium while the
 * worker indexed, `pnpm bench search-page`.)
 */
export class SummaryJournal {
  private latest = 0;
  /** UIDL → the version of its last change; a Map iterates in insertion order, so re-inserting keeps it in version order. */
  private readonly changed = new Map<string, number>();

  /** The version of the latest change (0: none yet). */
  get version(): number {
    return this.latest;
  }

  /** `uid`'s summary may be other than before (indexed, indexed again, removed). */
  touch(uid: string): void {
    this.changed.delete(uid);
    this.changed.set(uid, ++this.latest);
  }

  /**
   * The UIDLs changed after `version`, oldest change first, at most `limit` of them; `version` is the
   * version to ask from next time, `more` whether changes after it are left.
   */
  since(version: number, limit: number): { uids: string[]; version: number; more: boolean } {
    const uids: string[] = [];
    let upTo = version;
    for (const [uid, changedAt] of this.changed) {
      if (changedAt <= version) continue;
      if (uids.length === limit) return { uids, version: upTo, more: true };
      uids.push(uid);
      upTo = changedAt;
    }
    return { uids, version: Math.max(upTo, version), more: false };
  }
}
