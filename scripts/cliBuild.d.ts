export declare const cliBuildDir: (root: string) => string;
export declare const cliSources: (root: string) => string[];
export declare const newestCliSource: (root: string) => number;
export declare function freshCliBuild(root: string): string | null;
export declare function freshWorkerBuild(root: string): string | null;
export declare function workerBuildOptions(root: string, outdir: string): import('esbuild').BuildOptions;
