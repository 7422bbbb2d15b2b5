/**
 * Node's `util.parseArgs` explains its refusals for programmers ("To specify a positional argument
 * starting with a '-', place it at the end of the command after '--'…"); this says the same in a
 * sentence for the person who typed the command line.
 */
export function describeParseArgsError(error: unknown): string {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  // Node quotes the option as typed: '--foo', '-x' or '--account <value>'.
  const option = /'(-{1,2}[^' ]*)/.exec(message)?.[1] ?? 'an option';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `Unknown option ${option}.`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
    return message.includes('does not take an argument')
      ? `The option ${option} takes no value.`
      : `The option ${option} needs a value.`;
  return 'The command line could not be read.';
}
