import { MamoriError } from '../core/errors.js';

/**
 * One configured syslog listener, with every default applied. The config
 * layer validates the file against its JSON schema and maps each
 * listener/protocol pair to one of these; listeners take nothing else.
 */
export interface ListenerConfig {
  /** Listener name: the `listener` label of its counters. */
  name: string;
  protocol: 'udp' | 'tcp';
  /** Address to bind (an IP address; `::` or `0.0.0.0` for every interface). */
  host: string;
  /** Port to bind; 0 picks a free one (see `Listener.address()`). */
  port: number;
  tenant: string;
  /** Source id put on every record. */
  source: string;
  /** Parser name put on every record. */
  format: string;
  /** Character set the senders use: a WHATWG label or an iconv-lite name. */
  charset: string;
  /** IANA time zone for timestamps without an offset. */
  timezone?: string;
  /** Longer messages are cut to this many bytes and flagged with `truncatedFrom`. */
  maxMessageBytes: number;
  /** TCP only: connections beyond this are refused (counted). */
  maxConnections: number;
}

export type ListenerConfigInput = Omit<ListenerConfig, 'charset' | 'maxMessageBytes' | 'maxConnections'> &
  Partial<Pick<ListenerConfig, 'charset' | 'maxMessageBytes' | 'maxConnections'>>;

export const LISTENER_DEFAULTS = {
  charset: 'utf-8',
  maxMessageBytes: 65_536,
  maxConnections: 1_000,
} as const;

/** Same bounds as the config schema's `max_message_bytes`. */
const MIN_MESSAGE_BYTES = 512;
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Applies the defaults and rejects values a listener cannot run with. */
export function resolveListenerConfig(input: ListenerConfigInput): ListenerConfig {
  const config: ListenerConfig = { ...LISTENER_DEFAULTS, ...input };
  const problems: string[] = [];
  if (config.name.length === 0) problems.push('name is empty');
  if (config.protocol !== 'udp' && config.protocol !== 'tcp') problems.push(`protocol must be 'udp' or 'tcp'`);
  if (!isIntegerIn(config.port, 0, 65_535)) problems.push('port must be an integer from 0 to 65535');
  if (!isIntegerIn(config.maxMessageBytes, MIN_MESSAGE_BYTES, MAX_MESSAGE_BYTES)) {
    problems.push(`maxMessageBytes must be an integer from ${MIN_MESSAGE_BYTES} to ${MAX_MESSAGE_BYTES}`);
  }
  if (!isIntegerIn(config.maxConnections, 1, 1_000_000)) problems.push('maxConnections must be an integer from 1 to 1000000');
  if (problems.length > 0) {
    throw new MamoriError('MAMORI_E_CONFIG', `Syslog listener '${config.name}': ${problems.join('; ')}.`, { problems });
  }
  return config;
}

function isIntegerIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}
