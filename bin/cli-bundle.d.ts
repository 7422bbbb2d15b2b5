/** Types of bin/cli-bundle.js (plain JavaScript: the bin runs before any TypeScript loader). */
export declare const ROOT: string;
export declare const CLI_BUNDLE_DIR: string;
export declare const CLI_BUNDLE: string;
export declare const CLI_STAMP: string;
export interface SourceStamp {
  readonly newest: number;
  readonly files: number;
}
export declare function sourceStamp(root?: string): SourceStamp;
export declare function bundleIsCurrent(root?: string): boolean;
