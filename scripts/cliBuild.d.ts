export declare const cliBuildDir: (root: string) => string;
export declare const cliSources: (root: string) => string[];
export declare const newestCliSource: (root: string) => number;
export declare function freshCliBuild(root: string): string | null;
