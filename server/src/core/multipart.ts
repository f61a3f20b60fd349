import type { FastifyRequest } from 'fastify';
import { AppError, fieldError } from './errors.js';
import { MAX_IMAGE_BYTES } from './files.js';
import { assertCleanInput } from './input-guard.js';

export interface MultipartForm { files: Buffer[]; fields: Record<string, string> }

/**
 * Reads a multipart form: files of one field into memory (each at most maxFileBytes, 10 MB unless given, at
 * most `maxFiles`), other fields as strings. Anything else about the request is a 400 naming the field.
 */
export async function readMultipart(req: FastifyRequest, fileField: string, maxFiles: number, maxFileBytes = MAX_IMAGE_BYTES): Promise<MultipartForm> {
  if (!req.isMultipart()) throw new AppError(400, 'validation_failed', 'validation_failed', {}, { [fileField]: { key: 'multipart_required' } });
  const files: Buffer[] = [];
  const fields: Record<string, string> = {};
  try {
    for await (const part of req.parts({ limits: { fileSize: maxFileBytes, files: maxFiles, fields: 20, fieldSize: 100_000 } })) {
      if (part.type === 'file') {
        if (part.fieldname !== fileField) { await part.toBuffer(); throw fieldError(part.fieldname, 'unknown_field'); }
        files.push(await part.toBuffer());
      } else {
        fields[part.fieldname] = String(part.value ?? '');
      }
    }
  } catch (err: any) {
    if (err instanceof AppError) throw err;
    if (err?.code === 'FST_REQ_FILE_TOO_LARGE') throw fieldError(fileField, 'file_too_large', { max: `${Math.round(maxFileBytes / 1024 / 1024)} MB` }, 413);
    if (err?.code === 'FST_FILES_LIMIT') throw fieldError(fileField, 'too_many_photos', { max: maxFiles });
    throw fieldError(fileField, 'bad_multipart');
  }
  assertCleanInput(fields);
  return { files, fields };
}
