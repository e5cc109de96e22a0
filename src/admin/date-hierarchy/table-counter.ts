import { fn, col, Op, type ModelStatic, type WhereOptions } from 'sequelize';
import type { DateCounter } from './counter.js';

/**
 * Counts of a table's rows per range of a calendar-day column (DATEONLY: no time zone), for a
 * WHERE of its other filters (null: the filters match nothing). One grouped query over the
 * column's index range.
 */
export function tableDateCounter(model: ModelStatic<any>, column: string, where: WhereOptions | null): DateCounter {
  const field = model.getAttributes()[column]?.field ?? column;
  return {
    async bounds() {
      if (!where) return null;
      const row = (await model.findOne({ attributes: [[fn('min', col(field)), 'first'], [fn('max', col(field)), 'last']], where, raw: true })) as { first: string | null; last: string | null } | null;
      return row?.first && row.last ? { from: String(row.first), to: String(row.last) } : null;
    },
    async counts(ranges) {
      if (!where || !ranges.length) return ranges.map(() => 0);
      const within = { [column]: { [Op.between]: [ranges.map((r) => r.from).sort()[0]!, ranges.map((r) => r.to).sort().pop()!] } };
      const rows = (await model.findAll({
        attributes: [[col(field), 'day'], [fn('count', '*'), 'n']],
        where: { [Op.and]: [where, within] },
        group: [field],
        raw: true,
      })) as unknown as { day: string; n: string }[];
      const counts = ranges.map(() => 0);
      ranges.forEach((r, i) => {
        for (const row of rows) if (r.from <= String(row.day) && String(row.day) <= r.to) counts[i]! += Number(row.n);
      });
      return counts;
    },
  };
}
