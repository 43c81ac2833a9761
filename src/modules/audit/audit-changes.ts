/**
 * The fields an update actually changed, as `{field: {from, to}}`, for audit details.
 * Keys of `next` that are undefined were not sent and are skipped; equal values are skipped,
 * so an update that changes nothing records nothing.
 */
export function changes<T extends Record<string, unknown>>(
  current: T,
  next: { [K in keyof T]?: T[K] | undefined },
): Partial<Record<keyof T & string, { from: unknown; to: unknown }>> {
  const result: Partial<Record<keyof T & string, { from: unknown; to: unknown }>> = {};
  for (const key of Object.keys(next) as (keyof T & string)[]) {
    const to = next[key];
    if (to === undefined || Object.is(current[key], to)) continue;
    result[key] = { from: current[key] ?? null, to };
  }
  return result;
}

/** Field names only, for records holding personal data that the audit log must not copy. */
export function changedFieldNames(diff: Record<string, unknown>): string[] {
  return Object.keys(diff).sort();
}
