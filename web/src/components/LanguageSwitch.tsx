import { LANGUAGE_NAMES, LANGUAGES } from '../i18n';
import { useLanguage } from '../language';

/** Both languages as buttons, each labelled in its own language. */
export function LanguageSwitch() {
  const { language, setLanguage, t } = useLanguage();
  return (
    <div className="language-switch" role="group" aria-label={t('language.label')}>
      {LANGUAGES.map((l) => (
        <button key={l} type="button" lang={l} aria-pressed={l === language} className={l === language ? 'active' : ''} onClick={() => setLanguage(l)}>
          {LANGUAGE_NAMES[l]}
        </button>
      ))}
    </div>
  );
}
