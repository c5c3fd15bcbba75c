export type { WebHost, WebHostOptions } from './webHost.js';
export { createWebHostApp, httpStatusFor, startWebHost } from './webHost.js';
export { createEventBatcher } from './eventBatcher.js';
export type { EventBatcher } from './eventBatcher.js';
export { contentTypeFor, resolveStaticPath } from './staticPath.js';
export { cspHeader, baseSecurityHeaders } from './securityHeaders.js';
