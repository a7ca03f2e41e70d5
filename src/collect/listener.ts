import { MamoriError } from '../core/errors.js';
import type { ListenerConfig } from './listener-config.js';

/** A running collector endpoint. */
export interface Listener {
  readonly name: string;
  /** The bound address (the real port when the config asked for port 0). */
  address(): { host: string; port: number };
  /** Stops receiving, hands everything already received to the sink, then releases the socket. */
  close(): Promise<void>;
}

/** The error a listener start fails with when its address cannot be bound (in use, not local, no permission). */
export function bindFailed(config: ListenerConfig, cause: unknown): MamoriError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new MamoriError(
    'MAMORI_E_CONFIG',
    `Syslog listener '${config.name}' cannot listen on ${config.protocol} ${config.host}:${config.port}: ${reason}. ` +
      'Pick a free port, an address of this host, or a port above 1023 when not running as root.',
    { listener: config.name, cause: reason },
  );
}
