import { HttpError } from '../../src/plugin-routes.js';
import { extractText } from './html-text.js';
import { fetchPage, type FetchPolicy } from './page-fetcher.js';

/** The largest page text kept and sent to the model, in characters. */
export const MAX_CONTENT_CHARS = 60_000;

export interface PageSource {
  url: string | null;
  title: string;
  content: string;
}

/** What POST /api/knowledge/pages accepts: exactly one of url, html or text, and an optional title. */
export interface PageInput {
  url?: unknown;
  html?: unknown;
  text?: unknown;
  title?: unknown;
}

function optionalString(value: unknown, field: string, max: number): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new HttpError(400, `${field} must be a string`);
  if (value.length > max) throw new HttpError(400, `${field} must be at most ${max} characters`);
  return value;
}

/** Turns the request into page text: fetched and extracted for a URL, extracted for HTML, as given for text. */
export async function resolvePageSource(input: PageInput, policy: FetchPolicy): Promise<PageSource> {
  const url = optionalString(input.url, 'url', 2_000);
  const html = optionalString(input.html, 'html', 2_000_000);
  const text = optionalString(input.text, 'text', 2_000_000);
  const title = optionalString(input.title, 'title', 300)?.trim();
  if ([url, html, text].filter((v) => v !== undefined).length !== 1) throw new HttpError(400, 'give exactly one of url, html or text');

  let source: PageSource;
  if (url !== undefined) {
    const page = await fetchPage(url, policy);
    const extracted = /html/i.test(page.contentType) ? extractText(page.body) : { title: '', text: page.body.trim() };
    source = { url: page.url, title: title || extracted.title || page.url, content: extracted.text };
  } else if (html !== undefined) {
    const extracted = extractText(html);
    source = { url: null, title: title || extracted.title, content: extracted.text };
  } else {
    const trimmed = text!.trim();
    source = { url: null, title: title || trimmed.split('\n')[0]!.slice(0, 120), content: trimmed };
  }
  if (!source.content) throw new HttpError(422, 'the page has no text to generate questions from');
  return { ...source, content: source.content.slice(0, MAX_CONTENT_CHARS) };
}
