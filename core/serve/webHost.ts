import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify from 'fastify';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { ApiMethod, TunebenchApi } from '../api/contract.js';
import { apiMethods } from '../api/contract.js';
import { createDispatcher } from '../api/dispatch.js';
import type { ErrorCode, PlainError } from '../api/errors.js';
import { isInputErrorCode } from '../api/errors.js';
import { callPrefix, eventsPath } from '../api/http.js';
import { registerCsvUpload } from './csvUpload.js';
import { appPath } from '../paths.js';
import { newToken } from './auth.js';
import { createEventBatcher } from './eventBatcher.js';
import { createRequestGuard } from './guards.js';
import { baseSecurityHeaders, cspHeader } from './securityHeaders.js';
import { resolveStaticPath } from './staticPath.js';

export interface WebHostOptions {
  api: TunebenchApi;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: '127.0.0.1';
  /** Bind 0.0.0.0 instead of loopback (reachable from the network; the token still applies). */
  insecure?: boolean;
  /** The built renderer; default out/renderer beside package.json. */
  rendererDir?: string;
  /** Default: 32 random bytes. */
  token?: string;
  /** Where the upload route streams CSV files (the service's uploadsDir); without it there is no upload route. */
  uploadsDir?: string;
  /** Refused requests are reported here (default: silent). */
  log?: (message: string) => void;
}

export interface WebHost {
  /** `http://127.0.0.1:PORT/?token=...`: the link to open; the token becomes a cookie. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const mib = 1024 * 1024;
/** Request body caps: CSV import carries a whole file (up to 200 MB of text, JSON-escaped). */
const bodyLimits: Partial<Record<ApiMethod, number>> = {
  'datasets.importCsv': 256 * mib,
  'datasets.previewCsv': 64 * mib,
};
const defaultBodyLimit = 4 * mib;
const maxBufferedBytes = 32 * mib;

export function httpStatusFor(code: ErrorCode): number {
  if (code === 'NOT_FOUND') return 404;
  return isInputErrorCode(code) ? 400 : 500;
}

function plainError(code: ErrorCode, message: string): PlainError {
  return { name: 'TunebenchError', code, message, issues: [] };
}

/**
 * Builds the web host without listening (tests inject into it). `currentPort` is read per request
 * because with port 0 it is known only after listen.
 */
export async function createWebHostApp(
  options: Omit<WebHostOptions, 'port' | 'token'> & { token: string; currentPort: () => number },
): Promise<FastifyInstance> {
  const { api, token } = options;
  const rendererDir = options.rendererDir ?? appPath('out', 'renderer');
  const log = options.log ?? (() => {});
  const dispatch = createDispatcher(api);
  const app = Fastify({ logger: false, bodyLimit: defaultBodyLimit, trustProxy: false });
  // JSON only: a text/plain body is what a cross-site form or no-cors fetch could send.
  app.removeContentTypeParser('text/plain');

  app.addHook('onSend', async (_request, reply, payload) => {
    const port = options.currentPort();
    reply.headers(baseSecurityHeaders);
    reply.header('content-security-policy', cspHeader([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]));
    return payload;
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    const message = status === 500 ? 'internal error' : error.message;
    if (request.url.startsWith('/api/')) {
      return reply.code(status).send({ ok: false, error: plainError(status === 500 ? 'INTERNAL' : 'ARGUMENT_INVALID', message) });
    }
    return reply.code(status).type('text/plain; charset=utf-8').send(message);
  });

  const clients = new Set<WebSocket>();
  const batcher = createEventBatcher((batch) => {
    const frame = JSON.stringify(batch);
    for (const socket of clients) {
      if (socket.readyState !== socket.OPEN) continue;
      // A client that cannot keep up is dropped rather than buffered without bound.
      if (socket.bufferedAmount > maxBufferedBytes) socket.terminate();
      else socket.send(frame);
    }
  });
  const unsubscribe = api.onEvent((event) => {
    if (clients.size > 0) batcher.push(event);
  });
  app.addHook('onClose', async () => {
    unsubscribe();
    batcher.close();
  });

  // Registered before the guard so its onRequest marks upgrades first and it closes the
  // socket of an upgrade the guard refuses.
  await app.register(fastifyWebsocket, { options: { maxPayload: 1024 } });
  app.addHook('onRequest', createRequestGuard({ token, port: options.currentPort, insecure: options.insecure ?? false, rendererDir, log }));
  app.get(eventsPath, { websocket: true }, (socket) => {
    clients.add(socket);
    socket.on('close', () => clients.delete(socket));
    socket.on('error', () => clients.delete(socket));
  });

  const route = async (method: string, body: unknown) => {
    const response = await dispatch(method, body);
    return { status: response.ok ? 200 : httpStatusFor(response.error.code), response };
  };
  for (const method of apiMethods) {
    app.post(callPrefix + method, { bodyLimit: bodyLimits[method] ?? defaultBodyLimit }, async (request, reply) => {
      const { status, response } = await route(method, request.body);
      return reply.code(status).header('cache-control', 'no-store').send(response);
    });
  }
  if (options.uploadsDir) await app.register(registerCsvUpload(options.uploadsDir));
  // Unknown methods still answer in the ApiResponse shape (the dispatcher names the method).
  app.post<{ Params: { method: string } }>(`${callPrefix}:method`, async (request, reply) => {
    const { status, response } = await route(request.params.method, request.body);
    return reply.code(status).header('cache-control', 'no-store').send(response);
  });

  if (existsSync(join(rendererDir, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: rendererDir,
      index: 'index.html',
      wildcard: true,
      dotfiles: 'deny',
      redirect: false,
      // Second line of defence behind the request guard.
      allowedPath: (pathName) => resolveStaticPath(rendererDir, pathName).ok,
    });
  } else {
    app.get('/*', async (_request, reply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(`Tunebench: the renderer is not built (no ${join(rendererDir, 'index.html')}).\nRun \`npm run build\`, then start \`tunebench serve\` again.\n`),
    );
  }
  return app;
}

/** Serves the renderer and the API on 127.0.0.1 (0.0.0.0 only with `insecure`). */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newToken();
  let port = 0;
  const app = await createWebHostApp({ ...options, token, currentPort: () => port });
  await app.listen({ port: options.port ?? 0, host: options.insecure ? '0.0.0.0' : '127.0.0.1' });
  port = (app.server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${encodeURIComponent(token)}`,
    port,
    close: () => app.close(),
  };
}
