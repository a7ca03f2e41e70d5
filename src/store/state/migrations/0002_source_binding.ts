import type { Kysely } from 'kysely';
import type { StateMigration } from './migration.js';

/**
 * How a source is recognised besides its token (sender addresses, a TLS
 * client certificate) and how fast it may send.
 */
export const sourceBinding: StateMigration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('sources').addColumn('match_cidrs', 'text').execute();
    await db.schema.alterTable('sources').addColumn('match_cert', 'text').execute();
    await db.schema.alterTable('sources').addColumn('rate_limit_eps', 'integer').execute();
  },
};
