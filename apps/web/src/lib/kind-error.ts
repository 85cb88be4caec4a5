/**
 * An error whose `kind` says to the code what went wrong (the message is for logs): the one shape the
 * web app's typed errors share (the mail store's, the export's).
 */
export class KindError<Kind extends string> extends Error {
  constructor(
    readonly kind: Kind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
