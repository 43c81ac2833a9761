import type { ReactNode } from 'react';
import { useI18n } from '../i18n';
import type { PagedList } from '../lib/use-paged-list';
import { ErrorNote } from './error-note';
import { Empty, Loaded } from './states';

/** A paged list on screen: loading and retry, `empty` when nothing matched, else the rows and "load more". */
export function PagedLoaded<T>({
  list,
  empty,
  children,
}: {
  list: PagedList<T>;
  empty: ReactNode;
  children: (items: T[]) => ReactNode;
}) {
  const { t } = useI18n();
  const { first, more } = list;
  return (
    <Loaded data={first.data} error={first.error} reload={first.reload}>
      {(page) => {
        const { items, cursor } = list.merged(page);
        if (items.length === 0) return <Empty>{empty}</Empty>;
        return (
          <>
            {children(items)}
            {cursor && (
              <button
                type="button"
                className="secondary"
                disabled={more.pending}
                onClick={() => void list.loadMore(cursor)}
              >
                {t('common.loadMore')}
              </button>
            )}
            <ErrorNote error={more.error} />
          </>
        );
      }}
    </Loaded>
  );
}
