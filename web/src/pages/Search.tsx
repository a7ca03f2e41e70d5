import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { api, isAbort, type ApiError, type Caller, type EventQuery, type EventRecord, type HistogramBucket, type Tenant, type TopValue } from '../api';
import { EventTable } from '../components/EventTable';
import { Histogram } from '../components/Histogram';
import { TOP_FIELDS, TopValues, type TopField } from '../components/TopValues';
import { errorText } from '../errors';
import { fieldTerm } from '../format';
import { useLanguage } from '../language';
import { DEFAULT_RANGE, HISTOGRAM_INTERVAL, TIME_RANGES, type TimeRange } from '../time-range';

const PAGE_SIZE = 100;
const TOP_LIMIT = 10;
/** Value of the tenant select meaning every tenant the caller may see. */
const ALL = '';

interface Props {
  caller: Caller;
  tenants: readonly Tenant[];
  onUnauthenticated: () => void;
}

interface Results {
  events: EventRecord[];
  count: number;
  buckets: HistogramBucket[];
}

/** A submitted search: what the API is asked, and the range it came from (for the histogram's bucket width). */
interface ActiveSearch {
  query: EventQuery;
  range: TimeRange;
}

/** `to` is a little ahead of now so that events stamped by slightly fast clocks still show. */
function searchOf(q: string, range: TimeRange, tenant: string): ActiveSearch {
  return { query: { q, from: `now-${range}`, to: 'now+1m', tenant: tenant || undefined }, range };
}

export function Search({ caller, tenants, onUnauthenticated }: Props) {
  const { t } = useLanguage();
  const [draft, setDraft] = useState('');
  const [range, setRange] = useState<TimeRange>(DEFAULT_RANGE);
  // A customer account is bound to its tenant; SOC roles start on all tenants.
  const [tenant, setTenant] = useState<string>(caller.tenant_id ?? ALL);
  const [active, setActive] = useState<ActiveSearch>(() => searchOf('', DEFAULT_RANGE, caller.tenant_id ?? ALL));
  const [topField, setTopField] = useState<TopField>(TOP_FIELDS[0]);
  const [results, setResults] = useState<Results | null>(null);
  const [top, setTop] = useState<TopValue[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  const fail = useCallback(
    (err: unknown) => {
      if (isAbort(err)) return;
      if ((err as ApiError).unauthenticated) onUnauthenticated();
      else setError(errorText(err, t));
    },
    [onUnauthenticated, t],
  );

  // A new query (not a new top field) reloads events, count and histogram.
  useEffect(() => {
    const { query, range } = active;
    const abort = new AbortController();
    setLoading(true);
    setError(null);
    Promise.all([
      api.events(query, PAGE_SIZE, abort.signal),
      api.count(query, abort.signal),
      api.histogram(query, HISTOGRAM_INTERVAL[range], abort.signal),
    ])
      .then(([events, count, buckets]) => setResults({ events, count, buckets }))
      .catch((err) => {
        if (!isAbort(err)) setResults(null);
        fail(err);
      })
      .finally(() => {
        if (!abort.signal.aborted) setLoading(false);
      });
    return () => abort.abort();
  }, [active, fail]);

  useEffect(() => {
    const abort = new AbortController();
    api.top(active.query, topField, TOP_LIMIT, abort.signal).then(setTop, (err) => {
      if (!isAbort(err)) setTop([]);
      // The events request reports the same query error; only a lost session matters here.
      if ((err as ApiError).unauthenticated) onUnauthenticated();
    });
    return () => abort.abort();
  }, [active, topField, onUnauthenticated]);

  function run(q: string, r: TimeRange, tn: string) {
    setActive(searchOf(q.trim(), r, tn));
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    run(draft, range, tenant);
  }

  function pick(field: string, value: string) {
    const term = fieldTerm(field, value);
    const next = draft.trim() ? `${draft.trim()} AND ${term}` : term;
    setDraft(next);
    run(next, range, tenant);
    inputRef.current?.focus();
  }

  function status(): string {
    if (loading) return t('search.loading');
    if (!results) return '';
    const matches = t('search.matches', { count: results.count.toLocaleString() });
    return results.count > results.events.length ? `${matches} · ${t('search.showing', { shown: results.events.length })}` : matches;
  }

  return (
    <main className="search">
      <form className="search-bar" onSubmit={submit} role="search">
        <input
          ref={inputRef}
          type="search"
          className="query"
          aria-label={t('search.query')}
          placeholder={t('search.placeholder')}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          spellCheck={false}
          autoComplete="off"
          maxLength={10_000}
        />
        <select
          aria-label={t('search.range')}
          value={range}
          onChange={(e) => {
            const r = e.target.value as TimeRange;
            setRange(r);
            run(draft, r, tenant);
          }}
        >
          {TIME_RANGES.map((r) => (
            <option key={r} value={r}>
              {t(`range.${r}`)}
            </option>
          ))}
        </select>
        <select
          aria-label={t('search.tenant')}
          value={tenant}
          disabled={caller.tenant_id !== null}
          onChange={(e) => {
            setTenant(e.target.value);
            run(draft, range, e.target.value);
          }}
        >
          {caller.tenant_id === null && <option value={ALL}>{t('search.allTenants')}</option>}
          {tenants.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name === x.id ? x.id : `${x.name} (${x.id})`}
            </option>
          ))}
        </select>
        <button type="submit" className="primary" disabled={loading}>
          {t('search.submit')}
        </button>
      </form>

      {error && (
        <p className="error search-error" role="alert">
          {error}
        </p>
      )}

      <div className="search-body">
        <div className="search-main">
          <section className="panel" aria-labelledby="histogram-title">
            <div className="panel-head">
              <h2 id="histogram-title">{t('search.histogram')}</h2>
              <span className="muted" aria-live="polite">
                {status()}
              </span>
            </div>
            <Histogram buckets={results?.buckets ?? []} label={t('search.results')} />
          </section>
          {results && (
            <section className="panel results" aria-labelledby="results-title">
              <h2 id="results-title" className="visually-hidden">
                {t('search.results')}
              </h2>
              {results.events.length === 0 ? <p className="muted empty">{t('search.noResults')}</p> : <EventTable events={results.events} />}
            </section>
          )}
        </div>
        <TopValues field={topField} values={top} onFieldChange={setTopField} onPick={pick} />
      </div>
    </main>
  );
}
