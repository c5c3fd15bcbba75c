import { readonly, shallowRef, type DeepReadonly, type ShallowRef } from 'vue';
import { formatRoute, parseRoute, type Route } from '../lib/hashRoute.js';

const current = shallowRef<Route>(parseRoute(window.location.hash));
let isListening = false;

export interface HashRouter {
  route: DeepReadonly<ShallowRef<Route>>;
  navigate(route: Route): void;
  href(route: Route): string;
}

/** A tiny hash router: the route is derived from `location.hash` and nothing else. */
export function useHashRouter(): HashRouter {
  if (!isListening) {
    window.addEventListener('hashchange', () => {
      current.value = parseRoute(window.location.hash);
    });
    isListening = true;
  }
  return {
    route: readonly(current),
    navigate(route) {
      const hash = formatRoute(route);
      if (window.location.hash === hash) current.value = parseRoute(hash);
      else window.location.hash = hash;
    },
    href: formatRoute,
  };
}
