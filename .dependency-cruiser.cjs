/**
 * The layer wall of DESIGN.md, enforced in CI (`npm run lint:layers`):
 * core/ runs in plain Node; the renderer reaches core only through the API contract
 * (core/api); the sandboxed preload bundles nothing but the bridge.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'core-no-ui',
      comment: 'core/ runs in plain Node (CLI, tests, CI): no Electron, Vue, Pinia, ECharts or renderer code.',
      severity: 'error',
      from: { path: '^core/' },
      to: {
        path: [
          '^renderer/',
          '^electron/',
          '(^|/)node_modules/(electron|vue|@vue/[^/]+|pinia|echarts|vue-echarts|zrender)/',
        ],
      },
    },
    {
      name: 'core-no-electron-module',
      comment: 'core/ never imports electron, even where it cannot be resolved.',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: '^electron$' },
    },
    {
      name: 'renderer-only-core-api',
      comment: 'The renderer imports only the contract (types and zod schemas) from core/.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^core/', pathNot: '^core/api/' },
    },
    {
      name: 'renderer-no-node',
      comment: 'The renderer runs in a browser: no Node built-ins, no Electron, no main-process code.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: {
        dependencyTypesNot: ['type-only'],
        path: ['^electron/', '(^|/)node_modules/(electron|better-sqlite3|fastify|@fastify/[^/]+|@tensorflow/[^/]+)/'],
      },
    },
    {
      name: 'renderer-no-node-builtins',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'contract-is-portable',
      comment: 'core/api is bundled into the renderer: it may import only itself and zod/yaml.',
      severity: 'error',
      from: { path: '^core/api/' },
      to: { pathNot: ['^core/api/', '(^|/)node_modules/(zod|yaml)/'] },
    },
    {
      name: 'contract-no-node-builtins',
      severity: 'error',
      from: { path: '^core/api/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'preload-is-self-contained',
      comment: 'A sandboxed preload may require only electron; it uses the shared bridge and contract types.',
      severity: 'error',
      from: { path: '^electron/preload/', pathNot: '\\.test\\.ts$' },
      to: { pathNot: ['^electron/(preload|shared)/', '^core/api/', '(^|/)node_modules/electron/'] },
    },
    {
      name: 'no-test-support-in-production',
      comment: 'Test support (contract suites, fixtures, fakes, harnesses) lives in tests/ and never ships.',
      severity: 'error',
      from: { path: '^(core|electron|renderer)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^tests/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing is a broken build waiting to happen.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^(electron|virtual:.*)$' },
    },
    {
      name: 'no-circular',
      severity: 'warn',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(out|dist)/' },
    // Count `import type` too: a type import of Vue from core is still a breach of the wall.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.vue', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
