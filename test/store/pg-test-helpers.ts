import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A schema name no other test run will pick. */
export function randomSchema(): string {
  return `ap_test_${Date.now().toString(36)}_${randomBytes(6).toString('hex')}`;
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
