/**
 * Waits until `condition` holds, polling every `pollMs`; throws `timed out waiting for <what>`
 * after `timeoutMs`, so a test that waits for something never hangs the suite.
 */
export async function until(
  condition: () => boolean,
  what = 'the condition',
  timeoutMs = 5000,
  pollMs = 5,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
