import express, { type Router } from 'express';
import type { PageHandler } from 'adminjs';
import type { Sequelize } from 'sequelize';
import type { SectionRegistry } from '../core/sections.js';
import { costReport, type CostReport } from './cost-report.js';
import { REPORT_FORMATS, reportContentType, reportFileName, writeReport, type ReportFormat } from './report-file.js';
import { parseReportGroup, parseReportRange, ReportParameterError } from './report-range.js';

/** Section ids shown with their registry labels. */
function labelled(report: CostReport, sections: SectionRegistry): CostReport {
  const label = (key: string, fallback: string) => (sections.has(key) ? (sections.get(key).label ?? key) : fallback);
  if (report.group === 'section') for (const l of report.lines) l.label = label(l.key, l.label);
  if (report.pivot === 'section') for (const c of report.columns) c.label = label(c.key, c.label);
  return report;
}

async function reportFor(sequelize: Sequelize, sections: SectionRegistry, query: Record<string, unknown>): Promise<CostReport> {
  const range = parseReportRange(query);
  const group = parseReportGroup(query.group, 'group', 'user')!;
  const pivot = parseReportGroup(query.pivot, 'pivot', null);
  return labelled(await costReport(sequelize, range, group, pivot), sections);
}

/** The Cost report page's data (GET <panel>/api/pages/costReport?from&to&group&pivot); a bad parameter is a 400-style error notice. */
export function costReportPageHandler(sequelize: Sequelize, sections: SectionRegistry): PageHandler {
  return async (request) => {
    try {
      return { report: await reportFor(sequelize, sections, request.query ?? {}) };
    } catch (error) {
      if (error instanceof ReportParameterError) return { error: error.message };
      throw error;
    }
  };
}

/** GET /cost.csv and /cost.xlsx with the page's parameters: the report as a file, behind the panel's login. */
export function createReportRouter(sequelize: Sequelize, sections: SectionRegistry): Router {
  const router = express.Router();
  router.get('/cost.:format', async (req, res, next) => {
    try {
      const format = req.params.format as ReportFormat;
      if (!REPORT_FORMATS.includes(format)) throw new ReportParameterError(`format must be csv or xlsx, got ${JSON.stringify(req.params.format)}`);
      const report = await reportFor(sequelize, sections, req.query as Record<string, unknown>);
      res.set('content-type', reportContentType(format));
      res.set('content-disposition', `attachment; filename="${reportFileName(report, format)}"`);
      await writeReport(report, format, res);
    } catch (error) {
      if (error instanceof ReportParameterError) {
        res.status(400).json({ error: error.message });
        return;
      }
      next(error);
    }
  });
  return router;
}
