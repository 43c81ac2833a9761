import type { ReactNode } from 'react';
import type { Resource } from '../lib/use-async';
import type { PagedList } from '../lib/use-paged-list';
import { PagedLoaded } from './paged-list';
import { ActionsHeader } from './row-edit';
import { Empty, Loaded } from './states';

/** One column of a list screen's table; the first one heads its row. */
export interface Column<T> {
  header: string;
  cell: (item: T) => ReactNode;
  /** of the column's cells and header: `num` right-aligns amounts */
  className?: string;
}

/** The search box of a list screen: the text as typed; the screen decides when it searches. */
export interface ListSearch {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
}

/** The toolbar's button that adds an item; absent without the right to. */
export interface ListCreate {
  label: string;
  onClick: () => void;
  testId: string;
}

/**
 * A screen listing a company's records: title, optional search box and "new" button, then the
 * table (loading, retry, the empty note, "load more" for a paged list). The screen gives only its
 * columns, each row's action cell and its dialogs (`children`).
 */
export function ListScreen<T extends { id: string }>({
  name,
  title,
  search,
  create,
  rows,
  empty,
  columns,
  actions,
  rowTestId,
  children,
}: {
  /** names the heading (`{name}-title`) and the table (`data-testid`) */
  name: string;
  title: string;
  search?: ListSearch;
  create?: ListCreate | false;
  rows: PagedList<T> | Resource<T[]>;
  empty: ReactNode;
  columns: Column<T>[];
  /** the row's last cell (a `<td>`), under a header named for screen readers */
  actions?: ((item: T) => ReactNode) | false;
  rowTestId?: (item: T) => string;
  children?: ReactNode;
}) {
  const rowActions = actions || undefined;
  // a table wider than a phone scrolls inside its own box, never the page
  const table = (items: T[]) => (
    <div className="table-scroll">
      <table className="table" data-testid={name}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.header} scope="col" className={column.className}>
                {column.header}
              </th>
            ))}
            {rowActions && <ActionsHeader />}
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id} data-testid={rowTestId?.(item)}>
              {columns.map((column, i) =>
                i === 0 ? (
                  <th key={column.header} scope="row">
                    {column.cell(item)}
                  </th>
                ) : (
                  <td key={column.header} className={column.className}>
                    {column.cell(item)}
                  </td>
                ),
              )}
              {rowActions?.(item)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );

  return (
    <section className="screen" aria-labelledby={`${name}-title`}>
      <div className="toolbar">
        <h1 id={`${name}-title`}>{title}</h1>
        {search && (
          <div className="field inline-field">
            <label htmlFor={search.id} className="visually-hidden">
              {search.label}
            </label>
            <input
              id={search.id}
              type="search"
              placeholder={search.label}
              value={search.value}
              onChange={(e) => search.onChange(e.target.value)}
              data-testid={search.testId}
            />
          </div>
        )}
        <span className="spacer" />
        {create && (
          <button type="button" className="primary" onClick={create.onClick} data-testid={create.testId}>
            {create.label}
          </button>
        )}
      </div>
      {'merged' in rows ? (
        <PagedLoaded list={rows} empty={empty}>
          {table}
        </PagedLoaded>
      ) : (
        <Loaded data={rows.data} error={rows.error} reload={rows.reload}>
          {(items) => (items.length === 0 ? <Empty>{empty}</Empty> : table(items))}
        </Loaded>
      )}
      {children}
    </section>
  );
}
