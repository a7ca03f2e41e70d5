import { MamoriError } from '../../core/errors.js';
import { ATTR_KEYS, ATTR_VALUES, COLUMNS, type ColumnKind } from '../events/schema.js';
import { sqlIdentifier, sqlString } from '../sql-literal.js';
import { FIELD_NAME } from './ast.js';
import { quote } from './query-error.js';

export type FieldKind = ColumnKind | 'attr';

export interface FieldRef {
  field: string;
  kind: FieldKind;
  /** SQL reading the stored value (the column itself, or the attribute's value as String). */
  sql: string;
  /** SQL reading the value as people see it; differs from `sql` for IP columns only. */
  display: string;
}

/** Column names and attribute-array names as SQL, built once. */
export const ATTR_KEYS_SQL = sqlIdentifier(ATTR_KEYS);
const ATTR_VALUES_SQL = sqlIdentifier(ATTR_VALUES);

/**
 * An IP column as display text: IPv4-mapped addresses as plain IPv4
 * (`10.0.0.1`, not `::ffff:10.0.0.1`), others in the engine's IPv6 form.
 */
function ipDisplay(column: string): string {
  const s = `IPv6NumToString(${column})`;
  return `if(startsWith(${s}, '::ffff:') AND position(${s}, '.') > 0, substring(${s}, 8), ${s})`;
}

const COLUMN_REFS: ReadonlyMap<string, FieldRef> = new Map(
  COLUMNS.map((c) => {
    const sql = sqlIdentifier(c.field);
    return [c.field, { field: c.field, kind: c.kind, sql, display: c.kind === 'ip' ? ipDisplay(sql) : sql }];
  }),
);

/**
 * Where a field lives: its typed column, or else the attribute arrays.
 * Throws MAMORI_E_QUERY for a name outside `[A-Za-z_@][A-Za-z0-9_.@-]*`.
 */
export function resolveField(field: string): FieldRef {
  const column = COLUMN_REFS.get(field);
  if (column) return column;
  if (!FIELD_NAME.test(field)) {
    throw new MamoriError('MAMORI_E_QUERY', `invalid field name ${quote(field)}: field names are letters, digits and _ . @ -`, {
      field,
    });
  }
  // indexOf gives 0 for a missing key, and element 0 of a ClickHouse array is the default '', so a missing attribute reads as ''.
  const sql = `${ATTR_VALUES_SQL}[indexOf(${ATTR_KEYS_SQL}, ${sqlString(field)})]`;
  return { field, kind: 'attr', sql, display: sql };
}

/**
 * SQL that reads a field for display, top values and histograms: the column
 * (IP columns as display text, see above) or the attribute value. Throws
 * MAMORI_E_QUERY for an invalid field name.
 */
export function fieldExpression(field: string): { sql: string; kind: FieldKind } {
  const ref = resolveField(field);
  return { sql: ref.display, kind: ref.kind };
}
