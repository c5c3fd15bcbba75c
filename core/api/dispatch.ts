import type { ApiMethod, ApiResponse, TunebenchApi } from './contract.js';
import { apiMethods } from './contract.js';
import { TunebenchError, toPlainError } from './errors.js';
import { validateRequests } from './validated.js';

// Kept importable from here for code written before the check moved to validated.ts.
export { parseRequest } from './validated.js';

export type Dispatch = (method: string, request: unknown) => Promise<ApiResponse<unknown>>;

/**
 * The server side of every transport: checks the method name and calls the API through
 * validateRequests (the one request check, applied once even if the API is validated already).
 * Never throws; errors come back as plain data.
 */
export function createDispatcher(api: TunebenchApi): Dispatch {
  const known = new Set<string>(apiMethods);
  const validated = validateRequests(api);
  return async (method, request) => {
    try {
      if (!known.has(method)) {
        throw new TunebenchError('ARGUMENT_INVALID', `unknown API method "${method}"`);
      }
      const [domain, name] = (method as ApiMethod).split('.') as [string, string];
      const groups = validated as unknown as Record<string, Record<string, (req: unknown) => Promise<unknown>>>;
      const value = await groups[domain]![name]!(request);
      return { ok: true, value: value ?? null };
    } catch (error) {
      return { ok: false, error: toPlainError(error) };
    }
  };
}
