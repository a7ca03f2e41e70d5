import { ApiError } from './api';
import type { MessageKey } from './i18n';

type Translate = (key: MessageKey, values?: Readonly<Record<string, string | number>>) => string;

/** What to tell the user about a failed call: the API's own message when it gave one. */
export function errorText(err: unknown, t: Translate): string {
  if (err instanceof ApiError) {
    if (err.code === 'NETWORK') return t('error.network');
    if (err.code === 'UNEXPECTED') return t('error.unexpected', { status: err.status });
    return err.message;
  }
  return t('error.unexpected', { status: 0 });
}
