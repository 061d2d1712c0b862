import { type ReactNode } from 'react';
import { type ApiError } from '../api/graphql';
import { useI18n } from '../i18n';
import { errorText, type FieldLabels } from './errors';
import { useLiveState } from './live';

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="muted" role="status">
      {t('app.loading')}
    </p>
  );
}

export { errorText } from './errors';

export function ErrorMessage({
  error,
  onRetry,
  labels,
}: {
  error: ApiError | undefined;
  onRetry?: () => void;
  /** On-screen labels of the fields this form has, by the name the server gives them. */
  labels?: FieldLabels;
}) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <div className="alert alert-error" role="alert" data-testid="error-message">
      <span>{errorText(error, t, labels)}</span>
      {onRetry && (
        <button type="button" className="button-link" onClick={onRetry}>
          {t('app.retry')}
        </button>
      )}
    </div>
  );
}

/** Loading, error, or the content once there is data (kept while a reload runs). */
export function Async<T>({
  state,
  children,
}: {
  state: { data: T | undefined; error: ApiError | undefined; reload(): void };
  children: (data: T) => ReactNode;
}) {
  if (state.data === undefined)
    return state.error ? <ErrorMessage error={state.error} onRetry={state.reload} /> : <Loading />;
  return (
    <>
      <ErrorMessage error={state.error} onRetry={state.reload} />
      {children(state.data)}
    </>
  );
}

export function ConnectionStatus() {
  const { t } = useI18n();
  const { status } = useLiveState();
  return (
    <span
      className={`connection connection-${status}`}
      role="status"
      aria-live="polite"
      data-testid="connection-status"
      data-status={status}
    >
      <span className="dot" aria-hidden="true" />
      {t(`live.${status}`)}
    </span>
  );
}

export function Badge({ tone, children }: { tone: string; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}
