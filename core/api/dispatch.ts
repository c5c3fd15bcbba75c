import type { ApiMethod, ApiResponse, TunebenchApi } from './contract.js';
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
      const schema = requestSchemas[method as ApiMethod];
      const parsed = schema.safeParse(request ?? {});
      if (!parsed.success) {
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
      const [domain, name] = method.split('.') as [string, string];
      const group = (api as unknown as Record<string, Record<string, (req: unknown) => Promise<unknown>>>)[domain];
      const handler = group?.[name];
      if (!handler) throw new TunebenchError('INTERNAL', `no handler for ${method}`);
      const value = await handler.call(group, parsed.data);
      return { ok: true, value: value ?? null };
    } catch (error) {
      return { ok: false, error: toPlainError(error) };
    }
  };
}
