/** Where the process that answers keeps its log file (the app's logs folder), when it keeps one. */
export function LogFileNote({ logFile }: { readonly logFile: string | undefined }) {
  if (logFile === undefined) return null;
  return (
    <p className="hint">
      Log file (secrets are never written to it): <code>{logFile}</code>
    </p>
  );
}
