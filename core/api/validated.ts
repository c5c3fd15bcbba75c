import type { ApiMethod, ApiParsedRequest, TunebenchApi } from './contract.js';
import { apiMethods, requestSchemas } from './contract.js';
import { TunebenchError } from './errors.js';

type ApiDomain = Exclude<keyof TunebenchApi, 'onEvent'>;
type MethodOf<D extends ApiDomain, N> = Extract<`${D}.${N & string}`, ApiMethod>;

/**
 * The service's side of the contract: the same groups and methods as TunebenchApi, but each
 * handler receives its request already validated, with the schema's defaults applied.
 */
export type ApiHandlers = {
  [D in ApiDomain]: {
    [N in keyof TunebenchApi[D]]: TunebenchApi[D][N] extends (request: never) => infer R
      ? (request: ApiParsedRequest<MethodOf<D, N>>) => R
      : never;
  };
} & Pick<TunebenchApi, 'onEvent'>;

type AnyHandler = (request: unknown) => Promise<unknown>;

/** Marks an API whose every entry validates its request, so no transport wraps it twice. */
const validatedMark = Symbol('tunebench.validatedApi');

/**
 * The one place a request is checked: every entry of the returned API parses its request with
 * the shared schema (errors name the field, code ARGUMENT_INVALID) before the handler sees it,
 * whether the caller is Electron IPC, HTTP or the CLI calling the service directly. An API that
 * is already validated is returned as it is.
 */
export function validateRequests(handlers: ApiHandlers): TunebenchApi {
  if (validatedMark in handlers) return handlers as unknown as TunebenchApi;
  const groups: Record<string, Record<string, AnyHandler>> = {};
  for (const method of apiMethods) {
    const [domain, name] = method.split('.') as [ApiDomain, string];
    const group = handlers[domain] as unknown as Record<string, AnyHandler | undefined>;
    (groups[domain] ??= {})[name] = async (request) => {
      const handler = group[name];
      if (!handler) throw new TunebenchError('INTERNAL', `no handler for ${method}`);
      return handler.call(group, parseRequest(method, request));
    };
  }
  const api = { ...groups, onEvent: (listener) => handlers.onEvent(listener) } as TunebenchApi;
  return Object.assign(api, { [validatedMark]: true });
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
