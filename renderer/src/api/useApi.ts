import { createApiClient } from '../../../core/api/client.js';
import type { TunebenchApi } from '../../../core/api/contract.js';
import { pickTransport } from './transport.js';

let api: TunebenchApi | null = null;

/** The one API client of the app, created on first use so tests can install their own. */
export function useApi(): TunebenchApi {
  api ??= createApiClient(pickTransport());
  return api;
}

export function installApi(instance: TunebenchApi): void {
  api = instance;
}
