import { errorCodes, type ErrorCode } from '@webpop/wire';

/** The bridge's counters, shown at /metrics and returned by `startBridge(…).metrics()`. */
export interface MetricsSnapshot {
  readonly connectionsOpen: number;
  readonly connectionsTotal: number;
  readonly bytesToServer: number;
  readonly bytesToClient: number;
  readonly errors: Readonly<Record<ErrorCode, number>>;
  readonly draining: boolean;
  /** Bytes waiting in the bridge right now: towards browsers (WebSocket buffers) and towards mail servers. */
  readonly bufferedToClient: number;
  readonly bufferedToServer: number;
}

export class BridgeMetrics {
  connectionsOpen = 0;
  connectionsTotal = 0;
  bytesToServer = 0;
  bytesToClient = 0;
  draining = false;
  readonly errors = Object.fromEntries(errorCodes.map((code) => [code, 0])) as Record<ErrorCode, number>;

  snapshot(buffered: { toClient: number; toServer: number }): MetricsSnapshot {
    return {
      bufferedToClient: buffered.toClient,
      bufferedToServer: buffered.toServer,
      connectionsOpen: this.connectionsOpen,
      connectionsTotal: this.connectionsTotal,
      bytesToServer: this.bytesToServer,
      bytesToClient: this.bytesToClient,
      errors: { ...this.errors },
      draining: this.draining,
    };
  }
}
