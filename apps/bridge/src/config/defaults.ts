import type { BridgeConfig, LimitsConfig } from './schema.js';

/** Limits of the branding values (the logo is held in memory and sent with every sign-in page). */
export const BRANDING_LOGO_MAX_BYTES = 512 * 1024;
export const BRANDING_TEXT_MAX_LENGTH = 200;

/**
 * TLS secure contexts kept for servers with a configured CA, one per distinct CA (each holds Node's
 * ~140 bundled roots beside it, parsed once: see `relay/secure-context.ts`). Configurations name a
 * handful of CAs; after reloads that changed them, the least recently used is dropped past this many.
 */
export const SECURE_CONTEXT_CACHE_SIZE = 64;

export const defaultLimits: LimitsConfig = {
  connections: 1000,
  connectionsPerIp: 20,
  connectionsPerIpPerMinute: 60,
  idleSeconds: 300,
  sessionSeconds: 3600,
  connectSeconds: 15,
  bufferBytes: 1024 * 1024,
  maxFrameBytes: 64 * 1024,
  handshakeSeconds: 10,
  handshakesPerIp: 20,
};

export const defaultConfig: BridgeConfig = {
  listen: { host: '127.0.0.1', port: 8080 },
  origins: null,
  hosts: null,
  metrics: { allow: ['127.0.0.0/8', '::1'] },
  servers: [],
  allowAnyTarget: false,
  anyTargetPorts: [110, 995],
  anyTargetSubmissionPorts: [587, 465],
  limits: defaultLimits,
  tls: null,
  staticDir: null,
  trustedProxies: [],
  shutdownSeconds: 30,
  drainDelaySeconds: 0,
  readiness: { requireReachableServer: false },
  basePath: '/',
  branding: { title: null, productName: null, logo: null, accentColor: null, signInText: null },
  session: { idleMinutes: 30, sharedComputerDefault: false, rememberPasswords: false },
};
