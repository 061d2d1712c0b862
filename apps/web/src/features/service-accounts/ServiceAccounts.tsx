import { type FormEvent, useState } from 'react';
import { Async, Badge } from '../../app/components';
import { ConfirmButton } from '../../app/confirm';
import { useMutation, useQuery } from '../../app/hooks';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';
import {
  AgenciesQuery,
  type ApiKey,
  type ApiScope,
  CreateApiKey,
  CreateServiceAccount,
  DeleteWebhook,
  DisableServiceAccount,
  EnableWebhook,
  EVENT_TYPES,
  RegisterWebhook,
  RevokeApiKey,
  RotateApiKey,
  SCOPES,
  type ServiceAccount,
  ServiceAccountsQuery,
  type Webhook,
  WebhookDeliveriesQuery,
} from './operations';

/**
 * Coordinators manage their task force's client apps: service accounts, their API keys and webhooks.
 * A key or signing secret is shown once, right after it is issued; the hub keeps only a hash of a key.
 */
export function ServiceAccountsPage() {
  const { t } = useI18n();
  const { taskForce } = useTaskForce();
  const list = useQuery(ServiceAccountsQuery, { taskForceId: taskForce.id });
  const agencies = useQuery(AgenciesQuery, {});
  const agencyName = (id: string) => agencies.data?.agencies.find((a) => a.id === id)?.name ?? '—';
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(null);
  const shown = (label: string) => (value: string) => {
    setSecret({ label, value });
    list.reload();
  };
  return (
    <section className="stack">
      <h1>{t('clients.title')}</h1>
      <p className="muted">{t('clients.intro')}</p>
      {secret && (
        <div className="card" role="status" data-testid="issued-secret">
          <strong>{secret.label}</strong>
          <p>{t('clients.secretOnce')}</p>
          <code className="clients-secret">{secret.value}</code>
          <div>
            <button type="button" className="button-secondary small" onClick={() => setSecret(null)}>
              {t('clients.secretDone')}
            </button>
          </div>
        </div>
      )}
      <Async state={list}>
        {({ serviceAccounts }) =>
          serviceAccounts.length === 0 ? (
            <p className="muted">{t('clients.none')}</p>
          ) : (
            <>
              {serviceAccounts.map((account) => (
                <AccountCard
                  key={account.id}
                  account={account}
                  agencyName={agencyName(account.agencyId)}
                  onChange={list.reload}
                  onSecret={(label, value) => shown(label)(value)}
                />
              ))}
            </>
          )
        }
      </Async>
      <CreateAccountForm taskForceId={taskForce.id} agencies={agencies.data?.agencies ?? []} onCreated={list.reload} />
    </section>
  );
}

function AccountCard({
  account,
  agencyName,
  onChange,
  onSecret,
}: {
  account: ServiceAccount;
  agencyName: string;
  onChange(): void;
  onSecret(label: string, value: string): void;
}) {
  const { t, dateTime } = useI18n();
  const createKey = useMutation(CreateApiKey);
  const disable = useMutation(DisableServiceAccount);
  const disabled = !!account.disabledAt;
  const newKey = async () => {
    const issued = await createKey.run({ serviceAccountId: account.id, expiresAt: null });
    if (issued) onSecret(t('clients.keyFor', { name: account.name }), issued.createApiKey.secret);
  };
  const disableAccount = async () => {
    if (await disable.run({ id: account.id })) onChange();
  };
  return (
    <article className="card stack" aria-labelledby={`sa-${account.id}`}>
      <header className="clients-row">
        <h2 id={`sa-${account.id}`}>{account.name}</h2>
        {disabled ? <Badge tone="muted">{t('clients.disabled')}</Badge> : null}
      </header>
      <p className="muted">
        {t('clients.actsFor', { agency: agencyName })} ·{' '}
        {account.scopes.map((scope) => t(`clients.scope.${scope}`)).join(', ')} ·{' '}
        {t('clients.created', { at: dateTime(account.createdAt) })}
      </p>
      <h3>{t('clients.keys')}</h3>
      {account.keys.length === 0 ? (
        <p className="muted">{t('clients.noKeys')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('clients.key')}</th>
                <th scope="col">{t('clients.lastUsed')}</th>
                <th scope="col">{t('clients.expires')}</th>
                <th scope="col">{t('clients.state')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('clients.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {account.keys.map((key) => (
                <KeyRow key={key.id} apiKey={key} onChange={onChange} onSecret={onSecret} account={account} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {!disabled && (
        <div className="clients-row">
          <button type="button" onClick={() => void newKey()} disabled={createKey.pending}>
            {t('clients.newKey')}
          </button>
          <ConfirmButton
            label={t('clients.disable')}
            question={t('clients.disableConfirm', { name: account.name })}
            confirmLabel={t('clients.disableConfirmYes')}
            className="button-secondary"
            pending={disable.pending}
            onConfirm={() => void disableAccount()}
          />
        </div>
      )}
      {(createKey.error ?? disable.error) && (
        <p className="field-error" role="alert">
          {(createKey.error ?? disable.error)?.message}
        </p>
      )}
      <h3>{t('clients.webhooks')}</h3>
      {account.webhooks.length === 0 ? (
        <p className="muted">{t('clients.noWebhooks')}</p>
      ) : (
        account.webhooks.map((hook) => <WebhookRow key={hook.id} hook={hook} onChange={onChange} />)
      )}
      {!disabled && (
        <WebhookForm
          serviceAccountId={account.id}
          onCreated={(value) => onSecret(t('clients.webhookSecretFor', { name: account.name }), value)}
        />
      )}
    </article>
  );
}

function KeyRow({
  apiKey,
  account,
  onChange,
  onSecret,
}: {
  apiKey: ApiKey;
  account: ServiceAccount;
  onChange(): void;
  onSecret(label: string, value: string): void;
}) {
  const { t, dateTime } = useI18n();
  const rotate = useMutation(RotateApiKey);
  const revoke = useMutation(RevokeApiKey);
  const live = !apiKey.revokedAt && !account.disabledAt;
  const rotateKey = async () => {
    const issued = await rotate.run({ id: apiKey.id });
    if (issued) onSecret(t('clients.keyFor', { name: account.name }), issued.rotateApiKey.secret);
  };
  const revokeKey = async () => {
    if (await revoke.run({ id: apiKey.id })) onChange();
  };
  return (
    <tr>
      <th scope="row">
        <code>{apiKey.prefix}…</code>
      </th>
      <td>{apiKey.lastUsedAt ? dateTime(apiKey.lastUsedAt) : t('clients.never')}</td>
      <td>{apiKey.expiresAt ? dateTime(apiKey.expiresAt) : t('clients.noExpiry')}</td>
      <td>{apiKey.revokedAt ? t('clients.revoked', { at: dateTime(apiKey.revokedAt) }) : t('clients.active')}</td>
      <td>
        {live && (
          <div className="clients-row">
            <button type="button" className="button-secondary small" onClick={() => void rotateKey()}>
              {t('clients.rotate')}
            </button>
            <ConfirmButton
              label={t('clients.revoke')}
              question={t('clients.revokeConfirm', { prefix: apiKey.prefix })}
              confirmLabel={t('clients.revokeConfirmYes')}
              className="button-secondary small"
              pending={revoke.pending}
              onConfirm={() => void revokeKey()}
            />
          </div>
        )}
        {(rotate.error ?? revoke.error) && (
          <span className="field-error" role="alert">
            {(rotate.error ?? revoke.error)?.message}
          </span>
        )}
      </td>
    </tr>
  );
}

function WebhookRow({ hook, onChange }: { hook: Webhook; onChange(): void }) {
  const { t, dateTime } = useI18n();
  const [open, setOpen] = useState(false);
  const enable = useMutation(EnableWebhook);
  const remove = useMutation(DeleteWebhook);
  const state = hook.disabledAt
    ? t('clients.webhookDisabled', { at: dateTime(hook.disabledAt) })
    : hook.failingSince
      ? t('clients.webhookFailing', { at: dateTime(hook.failingSince) })
      : t('clients.active');
  return (
    <div className="stack">
      <p>
        <code>{hook.url}</code> · {hook.eventTypes.join(', ')} · {state}
      </p>
      <div className="clients-row">
        <button type="button" className="button-secondary small" onClick={() => setOpen(!open)} aria-expanded={open}>
          {t('clients.deliveries')}
        </button>
        {hook.disabledAt && (
          <button
            type="button"
            className="button-secondary small"
            onClick={() => void enable.run({ id: hook.id }).then((ok) => ok && onChange())}
          >
            {t('clients.enable')}
          </button>
        )}
        <ConfirmButton
          label={t('clients.deleteWebhook')}
          question={t('clients.deleteWebhookQuestion', { url: hook.url })}
          confirmLabel={t('clients.deleteWebhookConfirm')}
          className="button-secondary small"
          pending={remove.pending}
          onConfirm={() => void remove.run({ id: hook.id }).then((ok) => ok && onChange())}
        />
      </div>
      {open && <Deliveries webhookId={hook.id} />}
    </div>
  );
}

function Deliveries({ webhookId }: { webhookId: string }) {
  const { t, dateTime } = useI18n();
  const log = useQuery(WebhookDeliveriesQuery, { webhookId });
  return (
    <Async state={log}>
      {({ webhookDeliveries }) =>
        webhookDeliveries.length === 0 ? (
          <p className="muted">{t('clients.noDeliveries')}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('clients.cursor')}</th>
                  <th scope="col">{t('clients.eventType')}</th>
                  <th scope="col">{t('clients.state')}</th>
                  <th scope="col">{t('clients.attempts')}</th>
                  <th scope="col">{t('clients.lastError')}</th>
                </tr>
              </thead>
              <tbody>
                {webhookDeliveries.map((d) => (
                  <tr key={d.messageId}>
                    <th scope="row">{d.cursor}</th>
                    <td>{d.eventType}</td>
                    <td>
                      {d.status === 'DELIVERED' && d.deliveredAt
                        ? t('clients.delivered', { at: dateTime(d.deliveredAt) })
                        : t('clients.pending')}
                    </td>
                    <td>{d.attempts}</td>
                    <td>{d.lastError ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      }
    </Async>
  );
}

function CreateAccountForm({
  taskForceId,
  agencies,
  onCreated,
}: {
  taskForceId: string;
  agencies: { id: string; name: string }[];
  onCreated(): void;
}) {
  const { t } = useI18n();
  const create = useMutation(CreateServiceAccount);
  const [name, setName] = useState('');
  const [agencyId, setAgencyId] = useState('');
  const [scopes, setScopes] = useState<ApiScope[]>(['READ', 'SUBSCRIBE']);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await create.run({ input: { taskForceId, name: name.trim(), agencyId, scopes } })) {
      setName('');
      onCreated();
    }
  };
  const toggle = (scope: ApiScope) =>
    setScopes((now) => (now.includes(scope) ? now.filter((s) => s !== scope) : [...now, scope]));
  return (
    <form className="card stack" onSubmit={(event) => void submit(event)} aria-labelledby="new-client">
      <h2 id="new-client">{t('clients.new')}</h2>
      <label className="field">
        <span>{t('clients.name')}</span>
        <input value={name} onChange={(e) => setName(e.target.value)} required minLength={2} maxLength={120} />
      </label>
      <label className="field">
        <span>{t('clients.agency')}</span>
        <select value={agencyId} onChange={(e) => setAgencyId(e.target.value)} required>
          <option value="">{t('clients.chooseAgency')}</option>
          {agencies.map((agency) => (
            <option key={agency.id} value={agency.id}>
              {agency.name}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>{t('clients.scopes')}</legend>
        {SCOPES.map((scope) => (
          <label key={scope} className="clients-check">
            <input type="checkbox" checked={scopes.includes(scope)} onChange={() => toggle(scope)} />
            {t(`clients.scope.${scope}`)}
          </label>
        ))}
      </fieldset>
      {create.error && (
        <p className="field-error" role="alert">
          {create.error.message}
        </p>
      )}
      <div>
        <button type="submit" disabled={create.pending || !name.trim() || !agencyId || scopes.length === 0}>
          {t('clients.create')}
        </button>
      </div>
    </form>
  );
}

function WebhookForm({ serviceAccountId, onCreated }: { serviceAccountId: string; onCreated(secret: string): void }) {
  const { t } = useI18n();
  const register = useMutation(RegisterWebhook);
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState<string[]>([]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const done = await register.run({ input: { serviceAccountId, url: url.trim(), eventTypes: types } });
    if (done) {
      setUrl('');
      setTypes([]);
      onCreated(done.registerWebhook.secret);
    }
  };
  return (
    <form className="stack" onSubmit={(event) => void submit(event)}>
      <label className="field">
        <span>{t('clients.webhookUrl')}</span>
        <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} required placeholder="https://" />
      </label>
      <fieldset className="clients-types">
        <legend>{t('clients.eventTypes')}</legend>
        {EVENT_TYPES.map((type) => (
          <label key={type} className="clients-check">
            <input
              type="checkbox"
              checked={types.includes(type)}
              onChange={() => setTypes((now) => (now.includes(type) ? now.filter((x) => x !== type) : [...now, type]))}
            />
            <code>{type}</code>
          </label>
        ))}
      </fieldset>
      {register.error && (
        <p className="field-error" role="alert">
          {register.error.message}
        </p>
      )}
      <div>
        <button type="submit" disabled={register.pending || !url.trim() || types.length === 0}>
          {t('clients.addWebhook')}
        </button>
      </div>
    </form>
  );
}
