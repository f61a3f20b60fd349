import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuthContext } from './auth/context.js';
import { requireAuth } from './auth/plugin.js';
import type { Db } from './db.js';
import { notFound } from './errors.js';
import type { FileStore } from './files.js';
import { idParam } from './http.js';
import type { FileReader } from './module.js';
import { binary } from './response.js';

/**
 * A stored file for a signed-in reader. A file attached to a module's rows follows that
 * module's rules (each module registers a reader in its manifest); only a file attached
 * to nothing yet is its uploader's alone — uploading never outlives scope.
 */
export async function fileForReader(db: Db, store: FileStore, readers: FileReader[], auth: AuthContext, fileId: number, thumb: boolean) {
  const f = await db.selectFrom('files').selectAll().where('id', '=', fileId).executeTakeFirst();
  if (!f) throw notFound();
  let attached = false, allowed = false;
  for (const read of readers) {
    const verdict = await read(db, auth, fileId);
    if (verdict === undefined) continue;
    attached = true;
    if (verdict) { allowed = true; break; }
  }
  if (!attached) allowed = f.uploaded_by === auth.accountId;
  if (!allowed) throw notFound();
  const key = thumb && f.thumb_key ? f.thumb_key : f.storage_key;
  return { bytes: await store.get(key), mime: thumb && f.thumb_key ? 'image/webp' : f.mime };
}

export function fileRoutes(readers: FileReader[]) {
  return async function routes(app: FastifyInstance) {
    app.withTypeProvider<ZodTypeProvider>().get('/api/files/:id', {
      schema: {
        tags: ['files'], summary: '文件（登录可见：按所属记录的规则——心愿的工作人员、本人、认领人；选票扫描件为协商人员；未关联的文件仅上传人）',
        params: idParam, querystring: z.object({ thumb: z.enum(['0', '1']).optional() }),
        response: { 200: binary('image/*', '文件内容（图片；thumb=1 为 WebP 缩略图）') },
      },
    }, async (req, reply) => {
      const f = await fileForReader(app.dbh.db, app.files, readers, requireAuth(req), req.params.id, req.query.thumb === '1');
      return reply.type(f.mime).header('cache-control', 'private, max-age=3600').send(f.bytes);
    });
  };
}
