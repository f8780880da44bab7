/**
 * The end of a forked bench child: exit 0 once `main` is done, or send `{ type: 'error', message }`
 * (the stack when there is one) to the parent over IPC and exit 1, so the parent reports the
 * child's own error instead of a bare exit code.
 */
export function runBenchChild(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      process.send?.({ type: 'error', message }, () => process.exit(1));
    },
  );
}
