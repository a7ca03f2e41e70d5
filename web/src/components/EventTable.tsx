import { Fragment, useState } from 'react';
import type { EventRecord } from '../api';
import { formatTime } from '../format';
import { useLanguage } from '../language';
import { LogText as Text } from './LogText';

/** Characters of one cell in the table; the expanded row shows more. */
const CELL_MAX = 400;
const DETAIL_MAX = 10_000;

interface Props {
  events: readonly EventRecord[];
}

function endpoint(event: EventRecord, side: 'source' | 'destination'): string {
  const ip = event[`${side}.ip`];
  if (ip === undefined || ip === null || ip === '') return '';
  const port = event[`${side}.port`];
  return port === undefined || port === null ? String(ip) : `${String(ip)}:${String(port)}`;
}

function summary(event: EventRecord): unknown {
  return event['message'] ?? event['event.original'] ?? '';
}

function EventRow({ event, index }: { event: EventRecord; index: number }) {
  const { t } = useLanguage();
  const [open, setOpen] = useState(false);
  const source = endpoint(event, 'source');
  const destination = endpoint(event, 'destination');
  const action = [event['event.action'], event['event.outcome']].filter((v) => v !== undefined && v !== null && v !== '').join(' / ');
  const detailId = `event-detail-${index}`;
  return (
    <Fragment>
      <tr className={open ? 'event-row open' : 'event-row'} onClick={() => setOpen(!open)}>
        <td className="toggle">
          <button type="button" aria-expanded={open} aria-controls={detailId} aria-label={open ? t('table.collapse') : t('table.expand')} onClick={(e) => (e.stopPropagation(), setOpen(!open))}>
            {open ? '▾' : '▸'}
          </button>
        </td>
        <td className="time">{formatTime(event['@timestamp'])}</td>
        <td><Text value={event['tenant.id']} max={CELL_MAX} /></td>
        <td><Text value={event['host.name'] ?? event['observer.hostname']} max={CELL_MAX} /></td>
        <td className="flow">
          {source || destination ? (
            <>
              <Text value={source} max={CELL_MAX} /> <span className="arrow">→</span> <Text value={destination} max={CELL_MAX} />
            </>
          ) : null}
        </td>
        <td><Text value={action} max={CELL_MAX} /></td>
        <td className="message"><Text value={summary(event)} max={CELL_MAX} /></td>
      </tr>
      {open && (
        <tr className="event-detail" id={detailId}>
          <td colSpan={7}>
            <table className="fields">
              <thead>
                <tr>
                  <th>{t('detail.field')}</th>
                  <th>{t('detail.value')}</th>
                </tr>
              </thead>
              <tbody>
                {Object.keys(event)
                  .sort()
                  .map((field) => (
                    <tr key={field}>
                      <th scope="row"><Text value={field} max={CELL_MAX} /></th>
                      <td><Text value={event[field]} max={DETAIL_MAX} /></td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </td>
        </tr>
      )}
    </Fragment>
  );
}

export function EventTable({ events }: Props) {
  const { t } = useLanguage();
  return (
    <table className="events">
      <thead>
        <tr>
          <th className="toggle" aria-label={t('table.expand')} />
          <th>{t('table.time')}</th>
          <th>{t('table.tenant')}</th>
          <th>{t('table.host')}</th>
          <th>{t('table.flow')}</th>
          <th>{t('table.action')}</th>
          <th>{t('table.message')}</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event, i) => (
          <EventRow key={String(event['event.id'] ?? i)} event={event} index={i} />
        ))}
      </tbody>
    </table>
  );
}
