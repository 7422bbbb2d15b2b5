/**
 * Reads a secret typed at a terminal without echoing it: raw mode, one line, Ctrl-C cancels.
 * Used by `login --api-key-stdin` when standard input is a terminal rather than a pipe.
 */
export function readSecretFromTerminal(
  input: NodeJS.ReadStream,
  prompt: (text: string) => void,
  question: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let secret = '';
    const finish = (error?: Error): void => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      prompt('\n');
      if (error !== undefined) reject(error);
      else resolve(secret);
    };
    const onData = (chunk: Buffer): void => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish();
        if (char === '\u0003') return finish(new Error('cancelled'));
        if (char === '\u007f' || char === '\b') secret = secret.slice(0, -1);
        else if (char >= ' ') secret += char;
      }
    };
    prompt(question);
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}
