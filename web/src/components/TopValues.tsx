import type { TopValue } from '../api';
import { clip, visible } from '../format';
import { useLanguage } from '../language';
import { LogText } from './LogText';

/** Fields offered for "top values"; the most useful pivots in a SOC. */
export const TOP_FIELDS = [
  'source.ip',
  'destination.ip',
  'destination.port',
  'host.name',
  'user.name',
  'event.action',
  'event.outcome',
  'event.kind',
  'observer.vendor',
  'tenant.id',
] as const;
export type TopField = (typeof TOP_FIELDS)[number];

const VALUE_MAX = 120;

interface Props {
  field: TopField;
  values: readonly TopValue[];
  onFieldChange: (field: TopField) => void;
  onPick: (field: TopField, value: string) => void;
}

export function TopValues({ field, values, onFieldChange, onPick }: Props) {
  const { t } = useLanguage();
  const max = values.reduce((m, v) => Math.max(m, v.count), 0);
  return (
    <section className="panel top-values" aria-labelledby="top-title">
      <div className="panel-head">
        <h2 id="top-title">{t('top.title')}</h2>
        <select aria-label={t('top.field')} value={field} onChange={(e) => onFieldChange(e.target.value as TopField)}>
          {TOP_FIELDS.map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </select>
      </div>
      {values.length === 0 ? (
        <p className="muted">{t('top.none')}</p>
      ) : (
        <ol>
          {values.map((v) => {
            return (
              <li key={v.value}>
                <button type="button" title={t('top.filter', { field, value: visible(clip(v.value, VALUE_MAX).text) })} onClick={() => onPick(field, v.value)}>
                  <span className="bar" style={{ width: `${max ? (100 * v.count) / max : 0}%` }} />
                  <span className="value">
                    <LogText value={v.value} max={VALUE_MAX} />
                  </span>
                  <span className="count">{v.count.toLocaleString()}</span>
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
