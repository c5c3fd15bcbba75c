import type { ApiEvent, ApiMethod, ApiRequest, ApiResponse, TunebenchApi } from './contract.js';
import { fromPlainError } from './errors.js';

/** What a transport (Electron preload, HTTP + WebSocket) must provide. */
export interface ApiTransport {
  call(method: ApiMethod, request: unknown): Promise<ApiResponse<unknown>>;
  subscribe(listener: (event: ApiEvent) => void): () => void;
}

/**
 * Builds the typed `TunebenchApi` over any transport, so the renderer never knows which one it
 * has. Errors arrive as plain objects and are rethrown as TunebenchError.
 */
export function createApiClient(transport: ApiTransport): TunebenchApi {
  function method<M extends ApiMethod, R>(name: M) {
    return async (request: ApiRequest<M>): Promise<R> => {
      const response = await transport.call(name, request);
      if (!response.ok) throw fromPlainError(response.error);
      return response.value as R;
    };
  }
  return {
    studies: {
      list: method('studies.list'),
      get: method('studies.get'),
      create: method('studies.create'),
      rename: method('studies.rename'),
      remove: method('studies.remove'),
      duplicate: method('studies.duplicate'),
      annotate: method('studies.annotate'),
      pause: method('studies.pause'),
      resume: method('studies.resume'),
      cancel: method('studies.cancel'),
      extend: method('studies.extend'),
      rerun: method('studies.rerun'),
      importance: method('studies.importance'),
    },
    trials: {
      page: method('trials.page'),
      curves: method('trials.curves'),
      get: method('trials.get'),
      history: method('trials.history'),
      annotate: method('trials.annotate'),
    },
    datasets: {
      list: method('datasets.list'),
      previewCsv: method('datasets.previewCsv'),
      importCsv: method('datasets.importCsv'),
    },
    specs: { validate: method('specs.validate'), lrFind: method('specs.lrFind') },
    exports: { render: method('exports.render') },
    system: { doctor: method('system.doctor') },
    onEvent: (listener) => transport.subscribe(listener),
  };
}
