import type { Request, Response } from 'express';
import { HttpError } from '../../http/errors.js';
import type { UserId } from '../../core/users/user-id.js';
import type { UsageService } from '../usage-service.js';
import { usageCsv } from './csv.js';
import { html } from './html.js';
import { layout } from './layout.js';
import { renderUsagePage } from './usage-page.js';

const RECENT_REQUESTS = 20;

/** Pages of /usage: no script, no framing, nothing from other hosts, never cached. */
export function pageHeaders(res: Response): Response {
  return res.set({
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    'cache-control': 'private, no-store',
    'referrer-policy': 'same-origin',
    'x-content-type-options': 'nosniff',
  });
}

function sendProblem(res: Response, status: number, message: string, backTo: string): void {
  pageHeaders(res).status(status).type('html').send(layout('AI usage', html`<main><section class="card"><p class="error" role="alert">${message}</p><a class="button" href="${backTo}">Back</a></section></main>`));
}

/** A 400 of the usage service (bad dates, bad cursor) as a page; anything else goes to the error handler. */
async function asPage(res: Response, backTo: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof HttpError && error.status < 500) return sendProblem(res, error.status, error.message, backTo);
    throw error;
  }
}

/** The usage page of `userId` at `basePath`; `readOnly` makes it a panel user's view of it. */
export function sendUsagePage(req: Request, res: Response, usage: UsageService, userId: UserId, basePath: string, readOnly?: { viewedBy: string; backTo: string }): Promise<void> {
  return asPage(res, basePath, async () => {
    const report = await usage.report(userId, req.query);
    if (!report) return sendProblem(res, 404, 'This user does not exist.', basePath);
    const requests = await usage.requests(userId, req.query.cursor, RECENT_REQUESTS);
    pageHeaders(res).type('html').send(renderUsagePage({ report, requests, showCost: usage.showCost, basePath, ...readOnly, older: Boolean(req.query.cursor) }));
  });
}

/** The user's daily usage rows of the asked period as a CSV download. */
export function sendUsageCsv(req: Request, res: Response, usage: UsageService, userId: UserId, basePath: string): Promise<void> {
  return asPage(res, basePath, async () => {
    const { period, rows } = await usage.detailRows(userId, req.query);
    const csv = usageCsv(rows, (section) => usage.sections(section).label, usage.showCost);
    res
      .set({ 'cache-control': 'private, no-store', 'content-disposition': `attachment; filename="ai-usage-${period.from}-to-${period.to}.csv"` })
      .type('text/csv; charset=utf-8')
      .send(csv);
  });
}
