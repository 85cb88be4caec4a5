import { toCrlf } from '../bytes/crlf.js';
import { corpusMessages } from './corpus.js';
import { demoMessages } from './demo-messages.js';

export const DEMO_USERNAME = 'demo';
/** The demo mailbox is public, so is its password. */
export const DEMO_PASSWORD = 'demo';

export interface DemoAccount {
  username: 'demo';
  password: string;
  messages: Uint8Array[];
}

/** The demo mailbox: the corpus messages (CRLF) followed by the hand-built ones, the welcome message last. */
export async function demoAccount(): Promise<DemoAccount> {
  const corpus = await corpusMessages();
  return {
    username: DEMO_USERNAME,
    password: DEMO_PASSWORD,
    messages: [...corpus.map(({ bytes }) => toCrlf(bytes)), ...demoMessages()],
  };
}
