/**
 * The agent configuration contract (mamori-agent.yaml). Defaults and
 * descriptions live here; unknown keys are errors. docs/agent.md documents
 * every key, and the template `mamori agent init` writes is tested against it.
 */
const NAME = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,62}$', description: 'Input name; sent with every record as `input`.' } as const;
const FORMAT = { type: 'string', minLength: 1, default: 'auto', description: 'Parser the SOC applies to the lines (see `mamori parse --list`).' } as const;
const CHARSET = { type: 'string', default: 'utf-8', description: 'Character set of the lines (utf-8, shift_jis, euc-jp, ...).' } as const;
const TIMEZONE = { type: 'string', minLength: 1, description: 'IANA time zone of timestamps that carry no offset (default: the SOC input default).' } as const;

export const FILE_INPUT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'type', 'paths'],
  properties: {
    name: NAME,
    type: { const: 'file' },
    paths: {
      type: 'array',
      minItems: 1,
      items: { type: 'string', minLength: 1 },
      description: 'Absolute file paths; `*` and `?` may appear in the file name part (not in folder names).',
    },
    format: FORMAT,
    charset: CHARSET,
    timezone: TIMEZONE,
    start_at: {
      enum: ['end', 'beginning'],
      default: 'end',
      description: 'Where to start in files found on the very first start (later, new files are always read from the beginning).',
    },
    max_line_bytes: { type: 'integer', minimum: 512, maximum: 16_777_216, default: 65_536, description: 'Longer lines are cut and flagged.' },
  },
} as const;

export const SYSLOG_INPUT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'type', 'port'],
  properties: {
    name: NAME,
    type: { const: 'syslog' },
    protocols: { type: 'array', items: { enum: ['udp', 'tcp'] }, minItems: 1, uniqueItems: true, default: ['udp', 'tcp'], description: 'Transports to listen on.' },
    bind: { type: 'string', minLength: 1, default: '127.0.0.1', description: 'Address to listen on (0.0.0.0 for every interface).' },
    port: { type: 'integer', minimum: 0, maximum: 65535, description: 'Port for every protocol of this input.' },
    format: FORMAT,
    charset: CHARSET,
    timezone: TIMEZONE,
    max_message_bytes: { type: 'integer', minimum: 512, maximum: 16_777_216, default: 65_536, description: 'Longer messages are cut and flagged.' },
  },
} as const;

export const AGENT_CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['server', 'inputs'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200, description: 'Agent name sent as X-Mamori-Agent (default: the host name).' },
    server: { type: 'string', pattern: '^https?://[^\\s]+$', description: 'SOC URL, https://... (http:// only for tests on loopback).' },
    token: { type: 'string', pattern: '^mmi_[A-Za-z0-9_-]+$', description: 'Ingest token of the source this agent feeds (mmi_...).' },
    token_file: { type: 'string', minLength: 1, description: 'File holding the ingest token (instead of `token`).' },
    tls: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        ca_file: { type: 'string', minLength: 1, description: 'PEM file of the CA that signed the SOC certificate (private CA).' },
        cert_file: { type: 'string', minLength: 1, description: 'PEM client certificate for mutual TLS.' },
        key_file: { type: 'string', minLength: 1, description: 'PEM private key of the client certificate.' },
        insecure_skip_verify: { type: 'boolean', default: false, description: 'Do not verify the SOC certificate. Never in production.' },
      },
    },
    data_dir: { type: 'string', minLength: 1, default: './mamori-agent-data', description: 'Positions, the outbox (disk buffer) and the status file.' },
    buffer: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        max_bytes: {
          type: 'integer',
          minimum: 65_536,
          default: 1_073_741_824,
          description: 'Outbox size above which file inputs pause and syslog inputs push back (TCP) or drop and count (UDP).',
        },
      },
    },
    send: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        batch_events: { type: 'integer', minimum: 1, maximum: 100_000, default: 1_000, description: 'Records per request.' },
        batch_wait_ms: { type: 'integer', minimum: 0, maximum: 60_000, default: 1_000, description: 'Longest wait to fill a batch.' },
        bandwidth: {
          type: ['string', 'number'],
          default: 0,
          description: 'Upload cap per second, e.g. "1.5Mbit", "200KB"; 0 = unlimited. Counts the compressed requests.',
        },
        timeout_ms: { type: 'integer', minimum: 1_000, maximum: 600_000, default: 30_000, description: 'Longest wait for one request.' },
      },
    },
    inputs: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['type'],
        properties: { type: { enum: ['file', 'syslog'] } },
        allOf: [
          { if: { required: ['type'], properties: { type: { const: 'file' } } }, then: FILE_INPUT_SCHEMA },
          { if: { required: ['type'], properties: { type: { const: 'syslog' } } }, then: SYSLOG_INPUT_SCHEMA },
        ],
      },
      description: 'What the agent collects.',
    },
  },
} as const;
