/** The id of the subscription a log row (`row`, with user_id and created_at) debits: the one active at created_at. */
export function activeSubscriptionSql(row: string): string {
  return `(
    SELECT active.id FROM subscriptions AS active
    WHERE active.user_id = ${row}.user_id
      AND active.period_start <= ${row}.created_at AND active.period_end > ${row}.created_at
      AND (active.canceled_at IS NULL OR active.canceled_at > ${row}.created_at)
    ORDER BY active.period_start DESC, active.id DESC
    LIMIT 1
  )`;
}
