import type AdminJS from 'adminjs';
import type { BaseResource, CurrentAdmin, LocaleTranslations } from 'adminjs';
import { isTimeZone } from '../time/time-zone.js';

/**
 * The panel's time zone, as the application declares it to AdminJS (`env.PANEL_TIME_ZONE`, set by
 * createAdmin): exports write times with its offset, imports read spreadsheet times in it. UTC otherwise.
 */
export function panelTimeZoneOf(admin: AdminJS | undefined): string {
  const zone = (admin?.options.env as Record<string, unknown> | undefined)?.PANEL_TIME_ZONE;
  return typeof zone === 'string' && isTimeZone(zone) ? zone : 'UTC';
}

/** What AdminJS shows for a property nobody translated: its path in words (`costUsd` -> `Cost Usd`), like lodash's startCase. */
export function startCase(path: string): string {
  return path
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z\d]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join(' ');
}

/** `properties[path]`, written flat (`'user.email'`) or nested (`user: { email }`). */
function propertyText(properties: unknown, path: string): string | undefined {
  if (!properties || typeof properties !== 'object') return undefined;
  const flat = (properties as Record<string, unknown>)[path];
  if (typeof flat === 'string') return flat;
  const nested = path.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), properties);
  return typeof nested === 'string' ? nested : undefined;
}

/**
 * The label the panel shows for each field, looked up the way AdminJS's translateProperty does: the
 * resource's own translations, the locale's `resources.<id>.properties`, its `properties`, else the
 * path in words. `overrides` (the feature's `labels` option) win, for a column whose panel label
 * would misdescribe the exported value. Labels that would repeat get their field path added.
 */
export async function fieldLabels(
  admin: AdminJS | undefined,
  resource: BaseResource,
  fields: readonly string[],
  overrides: Readonly<Record<string, string>> = {},
  currentAdmin?: CurrentAdmin,
): Promise<Record<string, string>> {
  const option = admin?.options.locale;
  const locale = typeof option === 'function' ? await option(currentAdmin) : option;
  const language = locale?.language ?? 'en';
  const translations: Partial<LocaleTranslations> = locale?.translations?.[language] ?? {};
  const decorated = resource.decorate();
  const id = decorated.id();
  const own = (decorated.options.translations as Record<string, Partial<LocaleTranslations>> | undefined)?.[language];
  const label = (path: string) =>
    overrides[path] ??
    propertyText(own?.properties, path) ??
    propertyText(translations.resources?.[id]?.properties, path) ??
    propertyText(translations.properties, path) ??
    startCase(path);
  const labels = Object.fromEntries(fields.map((field) => [field, label(field)]));
  const counts = new Map<string, number>();
  for (const text of Object.values(labels)) counts.set(text.toLowerCase(), (counts.get(text.toLowerCase()) ?? 0) + 1);
  for (const field of fields) if (counts.get(labels[field]!.toLowerCase())! > 1) labels[field] = `${labels[field]} (${field})`;
  return labels;
}
