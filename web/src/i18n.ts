/**
 * Every string the portal shows, in English and Japanese. `ja` is typed by
 * the keys of `en`, so a key missing from either dictionary fails the
 * typecheck; i18n.test.ts checks the same at run time and that none is empty.
 * `{name}` marks a value filled in by `translate`.
 */
export const en = {
  'app.name': 'Mamori',
  'app.tagline': 'Security monitoring',
  'language.label': 'Language',
  'signIn.title': 'Sign in',
  'signIn.login': 'Login',
  'signIn.password': 'Password',
  'signIn.submit': 'Sign in',
  'signIn.busy': 'Signing in…',
  'signIn.expired': 'Your session has ended. Please sign in again.',
  'header.signedInAs': 'Signed in as',
  'header.tenant': 'Tenant',
  'header.allTenants': 'All tenants',
  'header.signOut': 'Sign out',
  'role.platform_admin': 'Platform administrator',
  'role.soc_lead': 'SOC lead',
  'role.soc_analyst': 'SOC analyst',
  'role.detection_engineer': 'Detection engineer',
  'role.customer_admin': 'Customer administrator',
  'role.customer_viewer': 'Customer viewer',
  'search.query': 'Query',
  'search.placeholder': 'e.g. source.ip:10.0.0.0/8 AND event.outcome:failure',
  'search.submit': 'Search',
  'search.range': 'Time range',
  'search.tenant': 'Tenant',
  'search.allTenants': 'All tenants',
  'search.loading': 'Searching…',
  'search.matches': '{count} matching events',
  'search.showing': 'showing the newest {shown}',
  'search.noResults': 'No events match this search in the selected time range.',
  'search.histogram': 'Events over time',
  'search.results': 'Events',
  'range.15m': 'Last 15 minutes',
  'range.1h': 'Last hour',
  'range.24h': 'Last 24 hours',
  'range.7d': 'Last 7 days',
  'range.30d': 'Last 30 days',
  'table.time': 'Time',
  'table.tenant': 'Tenant',
  'table.host': 'Host',
  'table.flow': 'Source → destination',
  'table.action': 'Action / outcome',
  'table.message': 'Message',
  'table.expand': 'Show all fields',
  'table.collapse': 'Hide fields',
  'detail.field': 'Field',
  'detail.value': 'Value',
  'detail.truncated': '… ({count} more characters)',
  'top.title': 'Top values',
  'top.field': 'Field',
  'top.none': 'No values.',
  'top.filter': 'Add {field}:{value} to the query',
  'top.count': 'Count',
  'error.network': 'The server could not be reached.',
  'error.unexpected': 'The server answered unexpectedly (HTTP {status}).',
} as const;

export type MessageKey = keyof typeof en;
export type Dictionary = Readonly<Record<MessageKey, string>>;

export const ja: Dictionary = {
  'app.name': 'Mamori',
  'app.tagline': 'セキュリティ監視',
  'language.label': '言語',
  'signIn.title': 'サインイン',
  'signIn.login': 'ログイン名',
  'signIn.password': 'パスワード',
  'signIn.submit': 'サインイン',
  'signIn.busy': 'サインイン中…',
  'signIn.expired': 'セッションが終了しました。もう一度サインインしてください。',
  'header.signedInAs': 'ユーザー',
  'header.tenant': 'テナント',
  'header.allTenants': '全テナント',
  'header.signOut': 'サインアウト',
  'role.platform_admin': 'プラットフォーム管理者',
  'role.soc_lead': 'SOC リーダー',
  'role.soc_analyst': 'SOC アナリスト',
  'role.detection_engineer': '検知エンジニア',
  'role.customer_admin': '顧客管理者',
  'role.customer_viewer': '顧客閲覧者',
  'search.query': '検索クエリ',
  'search.placeholder': '例: source.ip:10.0.0.0/8 AND event.outcome:failure',
  'search.submit': '検索',
  'search.range': '期間',
  'search.tenant': 'テナント',
  'search.allTenants': '全テナント',
  'search.loading': '検索中…',
  'search.matches': '該当イベント {count} 件',
  'search.showing': '新しい順に {shown} 件を表示',
  'search.noResults': '選択した期間にこの条件に一致するイベントはありません。',
  'search.histogram': 'イベント件数の推移',
  'search.results': 'イベント',
  'range.15m': '過去 15 分',
  'range.1h': '過去 1 時間',
  'range.24h': '過去 24 時間',
  'range.7d': '過去 7 日間',
  'range.30d': '過去 30 日間',
  'table.time': '日時',
  'table.tenant': 'テナント',
  'table.host': 'ホスト',
  'table.flow': '送信元 → 宛先',
  'table.action': 'アクション / 結果',
  'table.message': 'メッセージ',
  'table.expand': '全フィールドを表示',
  'table.collapse': 'フィールドを閉じる',
  'detail.field': 'フィールド',
  'detail.value': '値',
  'detail.truncated': '…(残り {count} 文字)',
  'top.title': '上位の値',
  'top.field': 'フィールド',
  'top.none': '値がありません。',
  'top.filter': '{field}:{value} を検索クエリに追加',
  'top.count': '件数',
  'error.network': 'サーバーに接続できません。',
  'error.unexpected': 'サーバーから予期しない応答がありました (HTTP {status})。',
};

export const LANGUAGES = ['ja', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const DICTIONARIES: Readonly<Record<Language, Dictionary>> = { en, ja };

/** How each language names itself in the switch. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { ja: '日本語', en: 'English' };

export const LANGUAGE_STORAGE_KEY = 'mamori.language';

const PLACEHOLDER = /\{(\w+)\}/g;

export function translate(language: Language, key: MessageKey, values?: Readonly<Record<string, string | number>>): string {
  const text = DICTIONARIES[language][key];
  if (!values) return text;
  return text.replace(PLACEHOLDER, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

export function isLanguage(value: unknown): value is Language {
  return value === 'ja' || value === 'en';
}

/** The remembered choice wins; otherwise Japanese for any ja* browser language, else English. */
export function initialLanguage(stored: string | null, browserLanguage: string | undefined): Language {
  if (isLanguage(stored)) return stored;
  return browserLanguage?.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}
