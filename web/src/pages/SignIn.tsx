import { useState, type FormEvent } from 'react';
import { api, type Caller } from '../api';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { errorText } from '../errors';
import { useLanguage } from '../language';

interface Props {
  onSignedIn: (caller: Caller) => void;
  /** Shown above the form when a session ended under the user. */
  notice?: string;
}

export function SignIn({ onSignedIn, notice }: Props) {
  const { t } = useLanguage();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api.login(login, password));
    } catch (err) {
      setError(errorText(err, t));
      setPassword('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <form className="sign-in-card" onSubmit={submit} aria-labelledby="sign-in-title">
        <div className="brand">
          <img src="/favicon.svg" alt="" width={28} height={28} />
          <div>
            <div className="brand-name">{t('app.name')}</div>
            <div className="brand-tagline">{t('app.tagline')}</div>
          </div>
        </div>
        <h1 id="sign-in-title">{t('signIn.title')}</h1>
        {notice && !error && <p className="notice">{notice}</p>}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <label>
          {t('signIn.login')}
          <input name="login" autoComplete="username" value={login} onChange={(e) => setLogin(e.target.value)} maxLength={200} required autoFocus />
        </label>
        <label>
          {t('signIn.password')}
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} maxLength={1024} required />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('signIn.busy') : t('signIn.submit')}
        </button>
        <LanguageSwitch />
      </form>
    </main>
  );
}
