export { test, expect, type MailboxFixtures, type MailboxTestOptions } from './fixture.js';
export * from './mailbox-api.js';
