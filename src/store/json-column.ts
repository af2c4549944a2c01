/** undefined and null are both stored as SQL NULL (and read back as absent), in SQLite and PostgreSQL alike. */
export function toJsonOrNull(v: unknown): string | null {
  return v === undefined || v === null ? null : JSON.stringify(v);
}
