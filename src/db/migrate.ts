import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './index';

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Migrations are `YYYYMMDDHHMM_name.ts` files, applied in name order. */
class FolderMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const names = fs
      .readdirSync(migrationsDir)
      .filter((f) => /^\d{12}_[\w-]+\.ts$/.test(f) && !f.endsWith('.test.ts'))
      .sort();
    const migrations: Record<string, Migration> = {};
    for (const file of names) {
      migrations[file.replace(/\.ts$/, '')] = await import(pathToFileURL(path.join(migrationsDir, file)).href);
    }
    return migrations;
  }
}

/** Applies pending migrations under Kysely's lock (an advisory lock on PostgreSQL). */
export async function migrateToLatest(db: Db): Promise<string[]> {
  // Unordered: a migration written on one branch may carry an earlier stamp than one already applied
  // from another; each is still applied exactly once.
  const migrator = new Migrator({ db, provider: new FolderMigrationProvider(), allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? error}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
