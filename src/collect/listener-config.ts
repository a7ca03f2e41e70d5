import { MamoriError } from '../core/errors.js';

/**
 * One configured syslog listener, with every default applied. The config
 * layer validates the file against its JSON schema and maps each
 * listener/protocol pair to one of these; listeners take nothing else.
 */
export interface ListenerConfig {
  /** Listener name: the `listener` label of its counters. */
  name: string;
  /** tls is syslog over TLS (RFC 5425): TCP with TLS, octet counting (newline framing also read). */
  protocol: 'udp' | 'tcp' | 'tls';
  /** Address to bind (an IP address; `::` or `0.0.0.0` for every interface). */
  host: string;
  /** Port to bind; 0 picks a free one (see `Listener.address()`). */
  port: number;
  /**
   * Tenant of what this listener receives; undefined when every sender must
   * be recognised as a source (`bindBy`), and the rest is dropped and counted.
   */
  tenant?: string;
  /** Source id put on records bound to the listener itself. */
  source: string;
  /** Parser name put on records bound to the listener itself. */
  format: string;
  /** How senders are recognised as sources, tried in this order: certificate, address, then a token in the message. */
  bindBy: BindBy[];
  /** Events per second accepted for the listener's own binding; undefined is unlimited. */
  rateLimitEps?: number;
  /** Certificate, key and client authentication for protocol tls. */
  tls?: TlsSettings;
  /** Character set the senders use: a WHATWG label or an iconv-lite name. */
  charset: string;
  /** IANA time zone for timestamps without an offset. */
  timezone?: string;
  /** Longer messages are cut to this many bytes and flagged with `truncatedFrom`. */
  maxMessageBytes: number;
  /** TCP only: connections beyond this are refused (counted). */
  maxConnections: number;
}

export type BindBy = 'certificate' | 'address' | 'token';

/** PEM contents (not paths: the config layer reads the files). */
export interface TlsSettings {
  cert: string;
  key: string;
  /** CA bundle that client certificates must chain to. */
  ca?: string;
  /** none: no client certificate asked; request: asked and verified when given; require: mutual TLS. */
  clientAuth: 'none' | 'request' | 'require';
}

export type ListenerConfigInput = Omit<ListenerConfig, 'charset' | 'maxMessageBytes' | 'maxConnections' | 'bindBy'> &
  Partial<Pick<ListenerConfig, 'charset' | 'maxMessageBytes' | 'maxConnections' | 'bindBy'>>;

export const LISTENER_DEFAULTS = {
  charset: 'utf-8',
  maxMessageBytes: 65_536,
  maxConnections: 1_000,
  bindBy: [] as BindBy[],
} as const;

/** Same bounds as the config schema's `max_message_bytes`. */
const MIN_MESSAGE_BYTES = 512;
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Applies the defaults and rejects values a listener cannot run with. */
export function resolveListenerConfig(input: ListenerConfigInput): ListenerConfig {
  const config: ListenerConfig = { ...LISTENER_DEFAULTS, ...input };
  const problems: string[] = [];
  if (config.name.length === 0) problems.push('name is empty');
  if (config.protocol !== 'udp' && config.protocol !== 'tcp' && config.protocol !== 'tls') problems.push(`protocol must be 'udp', 'tcp' or 'tls'`);
  if (config.protocol === 'tls' && !config.tls) problems.push('protocol tls needs a certificate and key (tls.cert_file, tls.key_file)');
  if (config.tls?.clientAuth !== undefined && config.tls.clientAuth !== 'none' && !config.tls.ca) problems.push(`client_auth ${config.tls.clientAuth} needs tls.ca_file (the CA client certificates chain to)`);
  if (config.bindBy.includes('certificate') && config.protocol !== 'tls') problems.push('bind_by certificate needs protocol tls');
  if (config.tenant === undefined && config.bindBy.length === 0) problems.push('give a tenant, or bind_by so that senders are recognised as sources');
  if (config.rateLimitEps !== undefined && !isIntegerIn(config.rateLimitEps, 1, 10_000_000)) problems.push('rate limit must be an integer from 1 to 10000000 events per second');
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
