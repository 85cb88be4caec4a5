import { WebSocket } from 'ws';
import type { WebSocketConstructor } from '@webpop/pop3/browser';

/** The `ws` client as the engines' WebSocket transport's WebSocket, sending the Origin a browser would. */
export function browserLikeWebSocket(origin: string): WebSocketConstructor {
  return class extends WebSocket {
    constructor(url: string) {
      super(url, { origin });
    }
  } as unknown as WebSocketConstructor;
}
