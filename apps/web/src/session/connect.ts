import { openSession, type Transport } from '@webpop/pop3';
import { connectWebSocketTransport, type BridgeTarget } from '@webpop/pop3/browser';
import { browserLegEncrypted } from './link-security.js';
import { serverLabel, type Connect } from './types.js';

/** The bridge's relay endpoint beside the page: ws(s)://host/…/pop3. */
export function bridgeUrl(base: string = document.baseURI): URL {
  const url = new URL('pop3', base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  url.hash = '';
  return url;
}

/** Wraps a transport so the app hears when the link ends (the engine only rejects pending commands). */
function watchClose(transport: Transport, onClosed: (error: Error | undefined) => void): Transport {
  return {
    attach: (receiver) =>
      transport.attach({
        data: (chunk) => receiver.data(chunk),
        closed: (error) => {
          receiver.closed(error);
          onClosed(error);
        },
      }),
    send: (bytes) => transport.send(bytes),
    startTls: () => transport.startTls(),
    close: () => transport.close(),
    get tls() {
      return transport.tls;
    },
  };
}

/** The real session: a WebSocket through the bridge, then the engine's openSession. */
export const connectThroughBridge: Connect = async (params, hooks, signal) => {
  const { server } = params;
  const target: BridgeTarget =
    server.kind === 'configured'
      ? { server: server.id }
      : { host: server.host, port: server.port, security: server.security };
  hooks.onStage('connecting');
  hooks.onLog({
    direction: 'info',
    text: `connecting through the bridge to ${serverLabel(server)}`,
  });
  const transport = await connectWebSocketTransport({
    url: bridgeUrl(),
    target,
    signal,
    connectTimeoutMs: 20_000,
  });
  const { security, tls } = transport.connected;
  hooks.onLog({
    direction: 'info',
    text:
      `connected (${security === 'none' ? 'no encryption' : security.toUpperCase()}` +
      `${tls ? `, ${tls.protocol ?? 'TLS'}${tls.authorized ? ', certificate verified' : ''}` : ''})`,
  });
  if (signal.aborted) {
    transport.close();
    throw signal.reason;
  }
  hooks.onStage('authenticating');
  const page = bridgeUrl();
  return openSession(watchClose(transport, hooks.onClosed), {
    security,
    credentials: {
      username: params.username,
      // OAuth: the engine's `auto` then picks OAUTHBEARER or XOAUTH2, whichever the server offers.
      ...(params.accessToken !== undefined
        ? { accessToken: params.accessToken }
        : { password: params.password }),
      method: params.method,
      allowPlaintext: params.allowPlaintext,
      ...(params.preferredMethod ? { preferredMethod: params.preferredMethod } : {}),
      unencryptedHop: !browserLegEncrypted(page),
    },
    onLog: (entry) => hooks.onLog(entry),
    signal,
    ...(hooks.onLoggingIn ? { whileLoggingIn: hooks.onLoggingIn } : {}),
  });
};
