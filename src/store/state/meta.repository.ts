import type { Kysely } from 'kysely';
import type { StateSchema } from './schema.js';
import { key, text } from './validate.js';

const VALUE_MAX = 64 * 1024;

/** Installation facts (bootstrap done, installation id), one string per key. */
export class MetaRepository {
  constructor(private readonly db: Kysely<StateSchema>) {}

  async get(name: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('meta')
      .select('value')
      .where('key', '=', key('meta key', name))
      .executeTakeFirst();
    return row?.value;
  }

  async set(name: string, value: string): Promise<void> {
    const row = { key: key('meta key', name), value: text('meta value', value, VALUE_MAX, true) };
    await this.db
      .insertInto('meta')
      .values(row)
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value }))
      .execute();
  }
}
