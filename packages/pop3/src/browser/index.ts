export { connectWebSocketTransport, Pop3BridgeError } from './websocket-transport.js';
export type {
  BridgeErrorCode,
  BridgeTarget,
  WebSocketConstructor,
  WebSocketLike,
  WebSocketTransport,
  WebSocketTransportOptions,
} from './websocket-transport.js';
