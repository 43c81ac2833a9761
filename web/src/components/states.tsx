import type { ReactNode } from 'react';
import { useI18n } from '../i18n';

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <p className="loading" role="status" aria-live="polite" data-testid="loading">
      {label ?? t('common.loading')}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <p className="empty" data-testid="empty">
      {children}
    </p>
  );
}

/** Loading on the first load, the error with a retry, then the content. */
export function Loaded<T>({
  data,
  error,
  reload,
  children,
}: {
  data: T | undefined;
  error: Error | undefined;
  reload: () => void;
  children: (data: T) => ReactNode;
}) {
  const { t } = useI18n();
  if (data === undefined && error) {
    return (
      <div className="error-note" role="alert">
        <p>{error.message}</p>
        <button type="button" onClick={reload}>
          {t('common.retry')}
        </button>
      </div>
    );
  }
  if (data === undefined) return <Loading />;
  return <>{children(data)}</>;
}
