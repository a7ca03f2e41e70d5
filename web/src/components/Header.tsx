import type { Caller, Tenant } from '../api';
import { en, type MessageKey } from '../i18n';
import { useLanguage } from '../language';
import { LanguageSwitch } from './LanguageSwitch';

interface Props {
  caller: Caller;
  tenants: readonly Tenant[];
  onSignOut: () => void;
}

export function Header({ caller, tenants, onSignOut }: Props) {
  const { t } = useLanguage();
  const roleKey = `role.${caller.role}`;
  // A role added on the server before the portal knows it is shown by its id.
  const role = roleKey in en ? t(roleKey as MessageKey) : caller.role;
  const tenant = caller.tenant_id ? (tenants.find((x) => x.id === caller.tenant_id)?.name ?? caller.tenant_id) : t('header.allTenants');
  return (
    <header className="app-header">
      <div className="brand">
        <img src="/favicon.svg" alt="" width={22} height={22} />
        <span className="brand-name">{t('app.name')}</span>
      </div>
      <div className="header-right">
        <span className="who" title={t('header.signedInAs')}>
          <span className="login">{caller.login}</span>
          <span className="role">{role}</span>
        </span>
        <span className="header-tenant">
          <span className="label">{t('header.tenant')}</span> {tenant}
        </span>
        <LanguageSwitch />
        <button type="button" onClick={onSignOut}>
          {t('header.signOut')}
        </button>
      </div>
    </header>
  );
}
