import { sql, type SelectQueryBuilder } from 'kysely';
import { z } from 'zod';

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type PageQuery = z.infer<typeof pageQuery>;

export interface Page<T> { items: T[]; total: number; page: number; pageSize: number }

export const pageOf = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

/** The page of a query that cannot match anything (e.g. the caller has no scope). */
export function emptyPage<T = never>({ page, pageSize }: PageQuery): Page<T> {
  return { items: [], total: 0, page, pageSize };
}

/**
 * Runs the count and one page of a filtered, ordered query. `withRelations` adds to the page's query
 * only (joins for names and related rows), so the count does not pay for them and the page needs no
 * query per relation.
 */
export async function paginate<DB, TB extends keyof DB, O, P = O>(
  qb: SelectQueryBuilder<DB, TB, O>,
  { page, pageSize }: PageQuery,
  withRelations?: (q: SelectQueryBuilder<DB, TB, O>) => SelectQueryBuilder<any, any, P>,
): Promise<Page<P>> {
  const pageQuery = qb.limit(pageSize).offset((page - 1) * pageSize);
  const [items, count] = await Promise.all([
    (withRelations ? withRelations(pageQuery) : pageQuery).execute() as Promise<P[]>,
    qb.clearSelect().clearOrderBy().select(sql<number>`count(*)`.as('n')).executeTakeFirst() as Promise<{ n: number } | undefined>,
  ]);
  return { items, total: Number(count?.n ?? 0), page, pageSize };
}
