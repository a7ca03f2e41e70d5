import { useCallback, useEffect, useState } from 'react';
import { api, isAbort, type Caller, type Tenant } from './api';
import { Header } from './components/Header';
import { useLanguage } from './language';
import { Search } from './pages/Search';
import { SignIn } from './pages/SignIn';

type Session = { state: 'checking' } | { state: 'signed-out'; expired: boolean } | { state: 'signed-in'; caller: Caller; tenants: Tenant[] };

export function App() {
  const { t } = useLanguage();
  const [session, setSession] = useState<Session>({ state: 'checking' });

  const enter = useCallback(async (caller: Caller, signal?: AbortSignal) => {
    // The tenant list is part of the signed-in view: the selects and the header name tenants.
    const tenants = await api.tenants(signal);
    setSession({ state: 'signed-in', caller, tenants });
  }, []);

  // An existing session cookie signs in without a form.
  useEffect(() => {
    const abort = new AbortController();
    api
      .me(abort.signal)
      .then((caller) => enter(caller, abort.signal))
      .catch((err) => {
        if (!isAbort(err)) setSession({ state: 'signed-out', expired: false });
      });
    return () => abort.abort();
  }, [enter]);

  const expired = useCallback(() => setSession({ state: 'signed-out', expired: true }), []);

  async function signOut() {
    // Signed out here even when the server could not be told; its session then ends by expiry.
    await api.logout().catch(() => undefined);
    setSession({ state: 'signed-out', expired: false });
  }

  switch (session.state) {
    case 'checking':
      return null;
    case 'signed-out':
      return (
        <SignIn
          notice={session.expired ? t('signIn.expired') : undefined}
          onSignedIn={(caller) => enter(caller).catch(() => setSession({ state: 'signed-out', expired: false }))}
        />
      );
    case 'signed-in':
      return (
        <div className="app">
          <Header caller={session.caller} tenants={session.tenants} onSignOut={signOut} />
          <Search caller={session.caller} tenants={session.tenants} onUnauthenticated={expired} />
        </div>
      );
  }
}
