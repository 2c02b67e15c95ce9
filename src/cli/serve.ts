import { buildApp } from '../server/app';
import { openContext } from '../server/start';
import { startBesideServer, startupHooks } from './startup';

export async function serve() {
  const ctx = await openContext();
  for (const hook of startupHooks) await hook(ctx);
  await ctx.jobs.start();
  // Errors are always logged; HROMADA_LOG=1 (or HROMADA_LOG_LEVEL) adds every request.
  const level = process.env.HROMADA_LOG_LEVEL ?? (process.env.HROMADA_LOG === '1' ? 'info' : 'warn');
  const app = await buildApp(ctx, { logger: { level } });
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  await app.listen({ port, host });
  const baseUrl = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
  console.log(`Hromada: ${baseUrl}/  (API docs: /api/docs, database: ${ctx.handle.kind})`);
  const stopBeside = await startBesideServer(ctx, baseUrl);
  const shutdown = async () => {
    await stopBeside();
    await app.close();
    await ctx.jobs.stop();
    await ctx.handle.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
