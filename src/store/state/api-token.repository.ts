import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { MamoriError } from '../../core/errors.js';
import { ACTIVE_USER_COLUMNS, isActiveUser, toActiveUser } from './active-user.js';
import { translateViolations } from './db-errors.js';
import type { ApiTokensTable, StateSchema } from './schema.js';
import type { User } from './user.repository.js';
import { isoTime, key, optionalIsoTime, sha256Hex, text } from './validate.js';

export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  tokenHint: string;
  createdAt: string;
  /** Null: does not expire. */
  expiresAt: string | null;
  lastUsedAt: string | null;
}

export interface NewApiToken {
  userId: string;
  name: string;
  /** secretDigest() of the token; the token itself is never stored. */
  tokenHash: string;
  /** secretHint() of the token. */
  tokenHint: string;
  expiresAt?: Date | null;
}

export interface ValidApiToken {
  token: ApiToken;
  user: User;
}

const NAME_MAX = 200;
const HINT_MAX = 16;

/** API tokens act as their user: they carry no scope of their own. */
export class ApiTokenRepository {
  constructor(
    private readonly db: Kysely<StateSchema>,
    private readonly clock: () => Date,
  ) {}

  async create(input: NewApiToken): Promise<ApiToken> {
    const row: Selectable<ApiTokensTable> = {
      id: randomUUID(),
      user_id: key('user id', input.userId),
      name: text('token name', input.name, NAME_MAX),
      token_hash: sha256Hex('token hash', input.tokenHash),
      token_hint: text('token hint', input.tokenHint, HINT_MAX),
      created_at: isoTime('created at', this.clock()),
      expires_at: optionalIsoTime('expires at', input.expiresAt),
      last_used_at: null,
    };
    await translateViolations(() => this.db.insertInto('api_tokens').values(row).execute(), {
      conflict: 'an API token with this value already exists',
      missing: `user ${row.user_id} not found`,
    });
    return toApiToken(row);
  }

  /** The token and its user, if the token has not expired at `now` and the user may still sign in. */
  async findValid(tokenHash: string, now: Date): Promise<ValidApiToken | undefined> {
    const at = isoTime('now', now);
    const row = await this.db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .leftJoin('tenants', 'tenants.id', 'users.tenant_id')
      .selectAll('api_tokens')
      .select(ACTIVE_USER_COLUMNS)
      .where('api_tokens.token_hash', '=', sha256Hex('token hash', tokenHash))
      .where((eb) => eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', at)]))
      .where(isActiveUser)
      .executeTakeFirst();
    return row && { token: toApiToken(row), user: toActiveUser(row) };
  }

  /** The user's tokens, newest first. */
  async listForUser(userId: string): Promise<ApiToken[]> {
    const rows = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('user_id', '=', key('user id', userId))
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map(toApiToken);
  }

  /** Deletes one of the user's tokens; MAMORI_E_NOT_FOUND if the user has no such token. */
  async revoke(userId: string, id: string): Promise<void> {
    const result = await this.db
      .deleteFrom('api_tokens')
      .where('id', '=', key('token id', id))
      .where('user_id', '=', key('user id', userId))
      .executeTakeFirst();
    if (result.numDeletedRows === 0n) throw new MamoriError('MAMORI_E_NOT_FOUND', `API token ${id} not found`);
  }

  async touch(id: string, now: Date): Promise<void> {
    await this.db
      .updateTable('api_tokens')
      .set({ last_used_at: isoTime('now', now) })
      .where('id', '=', key('token id', id))
      .execute();
  }
}

function toApiToken(row: Selectable<ApiTokensTable>): ApiToken {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    tokenHint: row.token_hint,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
  };
}
