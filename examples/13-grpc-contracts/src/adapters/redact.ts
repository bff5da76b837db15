// A URL fit for a log line: its password replaced by ***. (DATABASE_URL carries one on a real
// PostgreSQL; the log must not.)
export function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}
