import { useState } from 'react';
import type { Page } from '../api/types';
import { useAction, useResource, type Action, type Resource } from './use-async';

export interface PagedList<T, P extends Page<T> = Page<T>> {
  /** the first page, with whatever else its answer holds (a report's totals) */
  first: Resource<P>;
  more: Action;
  /** the first page followed by the pages "load more" brought, and the cursor to continue from */
  merged: (page: P) => { items: T[]; cursor: string | null };
  loadMore: (cursor: string) => Promise<void>;
  /** forgets the extra pages and loads the first one again (after an edit) */
  reset: () => void;
}

/**
 * A list read page by page for one `key` (a search text, a filter): the first page loads when
 * `deps` change, further pages on "load more". Pages loaded for an older key are dropped.
 */
export function usePagedList<T, K, P extends Page<T> = Page<T>>(
  key: K,
  load: (cursor?: string) => Promise<P & Page<T>>,
  deps: readonly unknown[],
): PagedList<T, P> {
  const first = useResource(() => load(), deps);
  const more = useAction();
  const [extra, setExtra] = useState<{ key: K; items: T[]; cursor: string | null }>();
  const pages = extra?.key === key ? extra : undefined;

  const merged = (page: P) => ({
    items: [...page.items, ...(pages?.items ?? [])],
    cursor: pages ? pages.cursor : page.nextCursor,
  });
  const loadMore = async (cursor: string) => {
    const next = await more.run(() => load(cursor));
    if (next) setExtra({ key, items: [...(pages?.items ?? []), ...next.items], cursor: next.nextCursor });
  };
  const reset = () => {
    setExtra(undefined);
    first.reload();
  };
  return { first, more, merged, loadMore, reset };
}
