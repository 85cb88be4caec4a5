export { MboxrdEncoder } from './encoder.js';
export { MboxrdDecoder, type MboxEvent } from './decoder.js';
export { decodeMbox, encodeMbox, joinMbox, mboxMessages, splitMbox } from './mbox.js';
export type { MboxInput, MboxMessage } from './mbox.js';
export { asctime, formatFromLine, fromLineSender, parseFromLine } from './from-line.js';
export type { Envelope, FromLine } from './from-line.js';
export { emlFileName, safeFileName } from './file-name.js';
export { MailfileError, type MailfileErrorKind } from './errors.js';
export { maxFromLineBytes, unknownSender } from './limits.js';
