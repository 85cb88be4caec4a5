/**
 * The longest `From ` line the decoder buffers. Writers put an address and a 24-character date
 * there (under 300 bytes in practice); 4 KiB leaves room for odd senders and stops a file that is
 * no mbox from being buffered whole.
 */
export const maxFromLineBytes = 4096;

/** The sender written when the envelope has none, or one that cannot stand in a `From ` line. */
export const unknownSender = 'MAILER-DAEMON';

/** How much of a message's start is searched for its Return-Path (it is the first field in practice). */
export const envelopeHeaderBytes = 64 * 1024;
