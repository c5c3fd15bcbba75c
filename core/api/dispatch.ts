import type { ApiMethod, ApiParsedRequest, ApiResponse, TunebenchApi } from './contract.js';
import { apiMethods, requestSchemas } from './contract.js';
import { TunebenchError, toPlainError } from './errors.js';

export type Dispatch = (method: string, request: unknown) => Promise<ApiResponse<unknown>>;

/**
 * The server side of every transport: checks the method name and validates the request with
 * the shared schema before the service sees it. Never throws; errors come back as plain data.
 */
export function createDispatcher(api: TunebenchApi): Dispatch {
  const known = new Set<string>(apiMethods);
  return async (method, request) => {
    try {
      if (!known.has(method)) {
        throw new TunebenchError('ARGUMENT_INVALID', `unknown API method "${method}"`);
      }
      const parsed = parseRequest(method as ApiMethod, request);
      const [domain, name] = method.split('.') as [string, string];
      const group = (api as unknown as Record<string, Record<string, (req: unknown) => Promise<unknown>>>)[domain];
      const handler = group?.[name];
      if (!handler) throw new TunebenchError('INTERNAL', `no handler for ${method}`);
      const value = await handler.call(group, parsed);
      return { ok: true, value: value ?? null };
    } catch (error) {
      return { ok: false, error: toPlainError(error) };
    }
  };
}

/** Validates a request with its shared schema and applies the defaults; errors name the field. */
export function parseRequest<M extends ApiMethod>(method: M, request: unknown): ApiParsedRequest<M> {
  const parsed = requestSchemas[method].safeParse(request ?? {});
  if (parsed.success) return parsed.data as ApiParsedRequest<M>;
  const issues = parsed.error.issues.map((issue) => ({
    where: '/' + issue.path.map(String).join('/'),
    message: issue.message,
  }));
  const first = issues[0];
  throw new TunebenchError(
    'ARGUMENT_INVALID',
    `invalid request for ${method}${first ? `: ${first.where} ${first.message}` : ''}`,
    issues,
  );
}
