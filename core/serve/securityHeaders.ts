/**
 * The Content-Security-Policy of the renderer, for the web host and Electron's app:// scheme.
 * Scripts only from our origin (no inline, no eval). Styles allow 'unsafe-inline' because
 * ECharts writes tooltip markup with `style="..."` attributes and vue-echarts injects a
 * <style> element where constructable stylesheets are missing; style injection cannot run code.
 * `connectSources` adds the WebSocket origins of the web host ('self' covers ws: only in
 * newer CSP levels).
 */
export function cspHeader(connectSources: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    ["connect-src 'self'", ...connectSources].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers every response of ours carries, beside the CSP. */
export const baseSecurityHeaders: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};
