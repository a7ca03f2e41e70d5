import type { Kysely, Selectable } from 'kysely';
import { ACTIVE_USER_COLUMNS, isActiveUser, toActiveUser } from './active-user.js';
import { translateViolations } from './db-errors.js';
import type { SessionsTable, StateSchema } from './schema.js';
import type { User } from './user.repository.js';
import { isoTime, key, optionalIsoTime, sha256Hex } from './validate.js';

export interface Session {
  /** secretDigest() of the session id held in the browser cookie. */
  idHash: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  lastSeenAt: string;
}

export interface NewSession {
  idHash: string;
  userId: string;
  expiresAt: Date;
}

export interface ValidSession {
  session: Session;
  user: User;
}

export class SessionRepository {
  constructor(
    private readonly db: Kysely<StateSchema>,
    private readonly clock: () => Date,
  ) {}

  async create(input: NewSession): Promise<Session> {
    const now = isoTime('created at', this.clock());
    const row: Selectable<SessionsTable> = {
      id_hash: sha256Hex('session id hash', input.idHash),
      user_id: key('user id', input.userId),
      created_at: now,
      expires_at: isoTime('expires at', input.expiresAt),
      last_seen_at: now,
    };
    await translateViolations(() => this.db.insertInto('sessions').values(row).execute(), {
      conflict: 'a session with this id already exists',
      missing: `user ${row.user_id} not found`,
    });
    return toSession(row);
  }

  /** The session and its user, if the session has not expired at `now` and the user may still sign in. */
  async findValid(idHash: string, now: Date): Promise<ValidSession | undefined> {
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .leftJoin('tenants', 'tenants.id', 'users.tenant_id')
      .selectAll('sessions')
      .select(ACTIVE_USER_COLUMNS)
      .where('sessions.id_hash', '=', sha256Hex('session id hash', idHash))
      .where('sessions.expires_at', '>', isoTime('now', now))
      .where(isActiveUser)
      .executeTakeFirst();
    return row && { session: toSession(row), user: toActiveUser(row) };
  }

  /** Records activity at `now`, and slides the expiry when `expiresAt` is given. */
  async touch(idHash: string, now: Date, expiresAt?: Date): Promise<void> {
    const expires = optionalIsoTime('expires at', expiresAt);
    await this.db
      .updateTable('sessions')
      .set({ last_seen_at: isoTime('now', now), ...(expires === null ? {} : { expires_at: expires }) })
      .where('id_hash', '=', sha256Hex('session id hash', idHash))
      .execute();
  }

  async delete(idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', sha256Hex('session id hash', idHash)).execute();
  }

  /** Removes sessions expired at `now`; returns how many. */
  async deleteExpired(now: Date): Promise<number> {
    const result = await this.db
      .deleteFrom('sessions')
      .where('expires_at', '<=', isoTime('now', now))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function toSession(row: Selectable<SessionsTable>): Session {
  return {
    idHash: row.id_hash,
    userId: row.user_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastSeenAt: row.last_seen_at,
  };
}
