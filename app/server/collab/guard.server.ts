/**
 * What keeps one document, or one client, from taking the collaboration server down. Used by
 * every document kind the server holds (minutes today).
 */

/** A close the provider shows and does not retry blindly: the code is in Hocuspocus's 4xxx range. */
export class Refusal extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export const refusals = {
  malformed: () => new Refusal(4400, "malformed update"),
  tooLarge: () => new Refusal(4413, "update too large"),
  readOnly: () => new Refusal(4403, "read only"),
  flood: () => new Refusal(4429, "too many updates"),
  protectedContent: () => new Refusal(4422, "protected heading"),
};

/** The largest single update a client may send (a pasted chapter is a few hundred KB). */
export const MAX_UPDATE_BYTES = 1024 * 1024;

/**
 * Updates per connection per second before it is cut off. A fast typist sends 10–20, a
 * scripted client (the crash test) up to 200; a paste or an offline reconnect is one
 * message. A client above this is broken or hostile. Each connection's writes queue one
 * at a time (`PerConnection`), so even a client under the limit cannot crowd out others.
 */
export const MAX_UPDATES_PER_SECOND = 300;

/**
 * Runs each connection's stores one after another, so a client that sends a burst has one
 * write waiting at a time and everybody else's keystrokes are interleaved with it.
 */
export class PerConnection {
  private tails = new WeakMap<object, Promise<unknown>>();

  run<T>(connection: object, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(connection) ?? Promise.resolve();
    const next = previous.then(fn);
    this.tails.set(
      connection,
      next.catch(() => undefined),
    );
    return next;
  }
}

/** Counts one connection's updates over a sliding one-second window. */
export class UpdateRate {
  private stamps: number[] = [];

  /** False once the connection has sent more than the limit within the last second. */
  allow(now = Date.now()): boolean {
    while (this.stamps.length && now - this.stamps[0] >= 1000) this.stamps.shift();
    this.stamps.push(now);
    return this.stamps.length <= MAX_UPDATES_PER_SECOND;
  }
}

/** Logs a failure with the document it belongs to; what failed decides whether to retry. */
export function logDocumentError(documentName: string, what: string, error: unknown): void {
  console.error(`collaboration: ${what} of ${documentName} failed`, error);
}

/**
 * Retries a document's store until it succeeds, with a growing pause (1 s, 2 s … 30 s).
 * A store that fails leaves the updates where they are (they are only deleted inside the
 * transaction that writes the snapshot), so waiting loses nothing.
 */
export class StoreRetries {
  private timers = new Map<string, { timer: NodeJS.Timeout; attempt: number }>();

  schedule(documentName: string, run: () => void): void {
    const previous = this.timers.get(documentName);
    if (previous) clearTimeout(previous.timer);
    const attempt = (previous?.attempt ?? 0) + 1;
    const timer = setTimeout(() => run(), Math.min(30_000, 1000 * 2 ** (attempt - 1)));
    timer.unref?.();
    this.timers.set(documentName, { timer, attempt });
  }

  succeeded(documentName: string): void {
    const previous = this.timers.get(documentName);
    if (previous) clearTimeout(previous.timer);
    this.timers.delete(documentName);
  }

  clear(): void {
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
