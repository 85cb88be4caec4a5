import { openSession, type SessionOptions } from '../session.js';
import type { Pop3Client } from '../client.js';
import { connectNodeTransport, type NodeTransportOptions } from './node-transport.js';

export { connectNodeTransport } from './node-transport.js';
export type { NodeTransportOptions } from './node-transport.js';

export type ConnectOptions = NodeTransportOptions & Omit<SessionOptions, 'security'>;

/** Connects over Node's net/tls, reads the greeting, does STLS where asked, and logs in. */
export async function connectPop3(options: ConnectOptions): Promise<Pop3Client> {
  const transport = await connectNodeTransport(options);
  return openSession(transport, options);
}
