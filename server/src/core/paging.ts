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

/** Runs the count and one page of a filtered, ordered query. */
export async function paginate<DB, TB extends keyof DB, O>(
  qb: SelectQueryBuilder<DB, TB, O>,
  { page, pageSize }: PageQuery,
): Promise<Page<O>> {
  const [items, count] = await Promise.all([
    qb.limit(pageSize).offset((page - 1) * pageSize).execute(),
    qb.clearSelect().clearOrderBy().select(sql<number>`count(*)`.as('n')).executeTakeFirst() as Promise<{ n: number } | undefined>,
  ]);
  return { items, total: Number(count?.n ?? 0), page, pageSize };
}
