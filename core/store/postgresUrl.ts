/** `postgres://` or `postgresql://`: the --db value (or TUNEBENCH_DB) names a server, not a file. */
export function isPostgresUrl(value: string | undefined): value is string {
  return value !== undefined && /^postgres(ql)?:\/\//i.test(value);
}
