/** The terminal, injected so the commands can be tested without a process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** All of standard input (an API key piped in). */
  readStdin(): Promise<string>;
  /** Standard input line by line (a pasted code while waiting for the browser). */
  stdinLines(): AsyncIterable<string>;
  openBrowser(url: string): Promise<boolean>;
  now(): number;
}
