const NOT_SAFE = /[^A-Za-z0-9._-]+/g;
const NOT_FILTERS = new Set(['sortBy', 'direction']);
const MAX_FILTER_PART = 80;

function safe(text: string): string {
  return text.replace(NOT_SAFE, '-').replace(/^-+|-+$/g, '');
}

/** `section-chat_success-false`, from the list's query (filters and search), `all` when nothing narrows it. */
export function filterPart(flatQuery: Record<string, string>): string {
  const parts = Object.entries(flatQuery)
    .filter(([key, value]) => !NOT_FILTERS.has(key) && value !== '')
    .map(([key, value]) => safe(`${key.replace(/^filters\./, '').replace('~~', '-')}-${value}`))
    .filter(Boolean);
  const joined = parts.join('_');
  return joined.length === 0 ? 'all' : joined.slice(0, MAX_FILTER_PART).replace(/[-_]+$/, '');
}

/** The download's name: resource, filter and the UTC date, e.g. `ai_usage_logs_section-chat_2026-11-24.csv`. */
export function exportFileName(resourceId: string, flatQuery: Record<string, string>, extension: string, now = new Date()): string {
  return `${safe(resourceId) || 'export'}_${filterPart(flatQuery)}_${now.toISOString().slice(0, 10)}.${extension}`;
}

/** Content-Disposition for an attachment; the name is ASCII-safe already, so no filename* is needed. */
export function attachmentHeader(fileName: string): string {
  return `attachment; filename="${fileName}"`;
}
