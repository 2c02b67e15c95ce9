/** With HROMADA_IMPORT_TRACE=1 each import step's duration goes to stderr (for benchmarks and tuning). */
export async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  if (process.env.HROMADA_IMPORT_TRACE !== '1') return work();
  const started = performance.now();
  try {
    return await work();
  } finally {
    process.stderr.write(`  [import] ${label}: ${((performance.now() - started) / 1000).toFixed(2)} s\n`);
  }
}
