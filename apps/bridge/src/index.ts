export { startBridge, RELAY_PATH, type BridgeOptions, type RunningBridge } from './server.js';
export {
  loadConfig,
  loadConfigFile,
  defaultStaticDir,
  type LoadedConfig,
  type LoadedServer,
} from './config/load.js';
export {
  ConfigError,
  defaultConfig,
  defaultLimits,
  validateConfig,
  type BridgeConfig,
  type LimitsConfig,
  type Security,
  type ServerConfig,
} from './config/schema.js';
export { BridgeError } from './errors.js';
export {
  closeCodeFor,
  errorCodes,
  GOING_AWAY,
  MAX_CONTROL_FRAME_BYTES,
  NORMAL_CLOSE,
  type ErrorCode,
  type TlsSummary,
} from '@webpop/wire';
export { resolveTarget, type ResolvedTarget } from './policy/target.js';
export { systemResolver, type Resolver } from './policy/resolver.js';
export {
  classifyAddress,
  clientKey,
  normaliseIp,
  parseIpLiteral,
  type AddressCategory,
  type IpAddress,
} from './policy/address.js';
export { clientAddress, TrustedProxies } from './policy/client-ip.js';
export { isOriginAllowed } from './policy/origin.js';
export type { MetricsSnapshot } from './metrics.js';
export type { LogSink, SessionLogRecord } from './log.js';
