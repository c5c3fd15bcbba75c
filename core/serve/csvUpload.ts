import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import type { ApiResponse } from '../api/contract.js';
import { toPlainError } from '../api/errors.js';
import { csvUploadPath } from '../api/http.js';
import { csvTooLarge, maxCsvBytes } from '../data/csvText.js';
import { receiveUpload } from '../data/csvUploads.js';

/**
 * The raw CSV upload route (csvUploadPath), in its own plugin scope so only it takes a byte
 * stream: the body goes to disk as it arrives, never into memory or JSON. The one request guard
 * (Host, Origin, token) runs before it as before every /api route. octet-stream is not a type a
 * cross-site form or no-cors fetch can send.
 */
export function registerCsvUpload(uploadsDir: string) {
  return async (scope: FastifyInstance): Promise<void> => {
    scope.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));
    scope.post(csvUploadPath, async (request, reply) => {
      const send = (status: number, response: ApiResponse<unknown>) => reply.code(status).header('cache-control', 'no-store').send(response);
      const declared = Number(request.headers['content-length']);
      if (declared > maxCsvBytes) {
        // Refused before reading a byte; the connection closes rather than draining the rest.
        reply.header('connection', 'close');
        return send(413, { ok: false, error: toPlainError(csvTooLarge(declared)) });
      }
      if (request.headers['content-type']?.split(';')[0]?.trim() !== 'application/octet-stream') {
        return send(415, { ok: false, error: { name: 'TunebenchError', code: 'ARGUMENT_INVALID', message: 'send the file as application/octet-stream', issues: [] } });
      }
      try {
        return send(200, { ok: true, value: await receiveUpload(request.body as Readable, uploadsDir) });
      } catch (error) {
        const plain = toPlainError(error);
        if (plain.code === 'CSV_SHAPE') reply.header('connection', 'close');
        return send(plain.code === 'CSV_SHAPE' ? 413 : 500, { ok: false, error: plain.code === 'INTERNAL' ? { ...plain, message: 'upload failed' } : plain });
      }
    });
  };
}
