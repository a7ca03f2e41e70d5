import { describe, expect, it } from 'vitest';
import { DICTIONARIES, en, initialLanguage, ja, LANGUAGES, translate } from './i18n';

const PLACEHOLDER = /\{(\w+)\}/g;
const placeholders = (text: string) => [...text.matchAll(PLACEHOLDER)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  it('have exactly the same keys in Japanese and English', () => {
    expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort());
    expect(Object.keys(DICTIONARIES).sort()).toEqual([...LANGUAGES].sort());
  });

  it('have no empty or blank strings', () => {
    for (const language of LANGUAGES) {
      for (const [key, text] of Object.entries(DICTIONARIES[language])) {
        expect(text.trim(), `${language} ${key}`).not.toBe('');
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(ja[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('are really translated: Japanese text differs from English except for names', () => {
    const same = (Object.keys(en) as (keyof typeof en)[]).filter((k) => en[k] === ja[k]);
    expect(same).toEqual(['app.name']);
  });
});

describe('translate', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'search.matches', { count: 42 })).toBe('42 matching events');
    expect(translate('ja', 'search.matches', { count: 42 })).toBe('該当イベント 42 件');
    expect(translate('en', 'search.matches')).toBe('{count} matching events');
    expect(translate('en', 'top.filter', { field: 'source.ip' })).toBe('Add source.ip:{value} to the query');
  });

  it('inserts values literally, not as replacement patterns', () => {
    expect(translate('en', 'top.filter', { field: 'f', value: "$& $' $1 {count}" })).toBe("Add f:$& $' $1 {count} to the query");
  });
});

describe('initialLanguage', () => {
  it('prefers the remembered choice', () => {
    expect(initialLanguage('en', 'ja-JP')).toBe('en');
    expect(initialLanguage('ja', 'en-US')).toBe('ja');
  });

  it('falls back to the browser language, Japanese for any ja* tag', () => {
    expect(initialLanguage(null, 'ja')).toBe('ja');
    expect(initialLanguage(null, 'ja-JP')).toBe('ja');
    expect(initialLanguage(null, 'JA-jp')).toBe('ja');
    expect(initialLanguage(null, 'en-GB')).toBe('en');
    expect(initialLanguage(null, 'jv')).toBe('en');
    expect(initialLanguage(null, undefined)).toBe('en');
  });

  it('ignores a tampered stored value', () => {
    expect(initialLanguage('<script>', 'ja-JP')).toBe('ja');
    expect(initialLanguage('', 'fr')).toBe('en');
  });
});
