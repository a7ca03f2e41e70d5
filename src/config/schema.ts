/**
 * The configuration contract (mamori.yaml). Defaults and descriptions live
 * here; unknown keys are errors. `mamori init` writes a commented file
 * generated from this schema, and the example is tested against it.
 */
export const TLS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['cert_file', 'key_file'],
  properties: {
    cert_file: { type: 'string', description: 'PEM certificate (chain) of this server; relative paths are relative to the config file.' },
    key_file: { type: 'string', description: 'PEM private key of the certificate.' },
    ca_file: { type: 'string', description: 'PEM CA bundle that client certificates must chain to (needed for client_auth request/require).' },
    client_auth: {
      enum: ['none', 'request', 'require'],
      default: 'none',
      description: 'Client certificates: none; request (verified when sent); require (mutual TLS: connections without a valid one are refused).',
    },
  },
} as const;

export const LISTENER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'port'],
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,62}$', description: 'Listener name; events carry it as mamori.source.' },
    protocols: {
      type: 'array',
      items: { enum: ['udp', 'tcp', 'tls'] },
      minItems: 1,
      uniqueItems: true,
      default: ['udp', 'tcp'],
      description: 'Transports to listen on: udp, tcp (newline and RFC 6587 octet-counting framing), tls (RFC 5425 syslog over TLS; needs tls:). tcp and tls cannot share a listener (one port).',
    },
    port: { type: 'integer', minimum: 0, maximum: 65535, description: 'Port for every protocol of this listener (0 picks a free one).' },
    tenant: { type: 'string', description: 'Tenant the received events belong to; optional with bind_by (then unrecognised senders are dropped and counted).' },
    bind_by: {
      type: 'array',
      items: { enum: ['certificate', 'address', 'token'] },
      uniqueItems: true,
      default: [],
      description:
        'Recognise senders as sources (`mamori sources add --match-cert/--match-cidr`, or a source token in the message) and bind their data to that source\'s tenant and format; tried in the order certificate, address, token.',
    },
    rate_limit_eps: { type: 'integer', minimum: 1, maximum: 10_000_000, description: 'Events per second accepted for this listener\'s own binding; more is dropped and counted.' },
    tls: TLS_SCHEMA,
    format: { type: 'string', default: 'auto', description: 'Parser for the received lines (see `mamori parse --list`).' },
    charset: { type: 'string', default: 'utf-8', description: 'Character set the devices send (utf-8, shift_jis, euc-jp, ...).' },
    timezone: { type: 'string', default: 'UTC', description: 'Time zone of timestamps that carry no offset.' },
    max_message_bytes: { type: 'integer', minimum: 512, maximum: 16_777_216, default: 65_536, description: 'Longer messages are cut and flagged.' },
    max_connections: { type: 'integer', minimum: 1, maximum: 100_000, default: 1_000, description: 'Concurrent TCP connections accepted.' },
  },
} as const;

export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    data_dir: { type: 'string', default: './data', description: 'Where the embedded stores live (events, state, bus).' },
    bind: { type: 'string', default: '127.0.0.1', description: 'Address the HTTP and syslog listeners bind to (0.0.0.0 for all interfaces).' },
    http_port: { type: 'integer', minimum: 0, maximum: 65535, default: 8080, description: 'Port of the web portal, the REST API, ingest and /metrics.' },
    http_tls: { ...TLS_SCHEMA, description: 'Serve the portal, API and ingest over HTTPS (needed for agents across the internet).' },
    server_url: { type: 'string', description: 'URL the CLI uses to reach the server (default http://<bind>:<http_port>).' },
    demo: { type: 'boolean', default: true, description: 'On first start, create the demo tenant, its ingest source and the default syslog listener.' },
    syslog: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        listeners: {
          type: 'array',
          items: LISTENER_SCHEMA,
          default: [{ name: 'syslog', protocols: ['udp', 'tcp'], port: 5514, tenant: 'demo', format: 'auto' }],
          description: 'Syslog listeners (UDP, TCP, TLS); each binds what it receives to its tenant, or per sender to a source (bind_by). See docs/collection.md.',
        },
      },
    },
    pipeline: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        workers: { type: 'integer', minimum: 1, maximum: 64, description: 'Parse worker threads (default: cores - 1, at least 1).' },
        batch_events: { type: 'integer', minimum: 1, maximum: 100_000, default: 2_000, description: 'Events handed to a worker at once.' },
        batch_wait_ms: { type: 'integer', minimum: 1, maximum: 10_000, default: 50, description: 'Longest wait to fill a batch.' },
        store_batch_events: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 50_000, description: 'Events per insert into the event store.' },
        store_flush_ms: { type: 'integer', minimum: 10, maximum: 60_000, default: 400, description: 'Longest time events wait for an insert.' },
        max_lag_events: {
          type: 'integer',
          minimum: 1_000,
          default: 50_000,
          description:
            'Received but not yet stored events above which collectors push back (TCP stops reading, HTTP answers 503). Bounds the send-to-searchable latency.',
        },
      },
    },
    auth: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        session_hours: { type: 'number', minimum: 0.1, maximum: 720, default: 12, description: 'Lifetime of a web session.' },
      },
    },
    ingest: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        max_body_bytes: { type: 'integer', minimum: 1024, default: 67_108_864, description: 'Largest accepted ingest body (after decompression).' },
        max_line_bytes: { type: 'integer', minimum: 512, default: 1_048_576, description: 'Longer lines are cut and flagged.' },
      },
    },
  },
} as const;
