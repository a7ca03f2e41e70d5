/** JSON schemas shared by routes; they validate input and shape output (and the OpenAPI document). */
export const errorSchema = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } } },
} as const;

export const tenantSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    language: { type: 'string', enum: ['ja', 'en'] },
    retention_days: { type: 'integer' },
    created_at: { type: 'string' },
    disabled: { type: 'boolean' },
  },
} as const;

export const sourceSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    tenant_id: { type: 'string' },
    name: { type: 'string' },
    format: { type: 'string' },
    charset: { type: 'string' },
    timezone: { type: 'string', nullable: true },
    token_hint: { type: 'string' },
    created_at: { type: 'string' },
    disabled: { type: 'boolean' },
    match_cidrs: { type: 'array', items: { type: 'string' } },
    match_cert: { type: 'string', nullable: true },
    rate_limit_eps: { type: 'integer', nullable: true },
  },
} as const;

export const userSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    login: { type: 'string' },
    display_name: { type: 'string' },
    role: { type: 'string' },
    tenant_id: { type: 'string', nullable: true },
    created_at: { type: 'string' },
    disabled: { type: 'boolean' },
  },
} as const;

/** Time-ranged query parameters shared by the event routes. */
export const eventQuerySchema = {
  type: 'object',
  properties: {
    q: { type: 'string', default: '', maxLength: 10_000, description: 'Query in the search language (docs/search.md).' },
    from: { type: 'string', default: 'now-24h', description: 'Start: ISO 8601, epoch ms, now-15m, or a duration ago (1h).' },
    to: { type: 'string', default: 'now', description: 'End (exclusive), same forms as from.' },
    tenant: { type: 'string', description: 'Only this tenant (within what the caller may see).' },
  },
} as const;

export const responses = (ok: object) => ({ 200: ok, '4xx': errorSchema });
