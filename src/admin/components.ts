import type { ComponentLoader } from 'adminjs';
import { fileURLToPath } from 'node:url';

const file = (name: string) => fileURLToPath(new URL(`./components/${name}`, import.meta.url));

/**
 * Registers the panel's components on the application's ComponentLoader and returns their names.
 * Names carry an `AiUsage` prefix so plugins' own components cannot clash with them.
 */
export function registerAdminComponents(loader: ComponentLoader) {
  return {
    SectionBadge: loader.add('AiUsageSectionBadge', file('section-badge')),
    ResponseTimeBadge: loader.add('AiUsageResponseTimeBadge', file('response-time-badge')),
    SuccessBadge: loader.add('AiUsageSuccessBadge', file('success-badge')),
    TokensCell: loader.add('AiUsageTokensCell', file('tokens-cell')),
    CostCell: loader.add('AiUsageCostCell', file('cost-cell')),
    TextCell: loader.add('AiUsageTextCell', file('text-cell')),
    UserCell: loader.add('AiUsageUserCell', file('user-cell')),
    UserFilter: loader.add('AiUsageUserFilter', file('user-filter')),
    JsonShow: loader.add('AiUsageJsonShow', file('json-show')),
    TextShow: loader.add('AiUsageTextShow', file('text-show')),
    ModelFilter: loader.add('AiUsageModelFilter', file('model-filter')),
    QuotaBar: loader.add('AiUsageQuotaBar', file('quota-bar')),
    UserLogsLink: loader.add('AiUsageUserLogsLink', file('user-logs-link')),
    ViewAsUserLink: loader.add('AiUsageViewAsUserLink', file('view-as-user-link')),
    LogList: loader.add('AiUsageLogList', file('log-list')),
    StatsAction: loader.add('AiUsageStatsAction', file('stats-action')),
    Dashboard: loader.add('AiUsageDashboard', file('dashboard')),
    IssueApiToken: loader.add('AiUsageIssueApiToken', file('issue-api-token')),
    BudgetUsage: loader.add('AiUsageBudgetUsage', file('budget-usage')),
    BudgetMode: loader.add('AiUsageBudgetMode', file('budget-mode')),
    BudgetRefusalsLink: loader.add('AiUsageBudgetRefusalsLink', file('budget-refusals-link')),
    FixedOnceCreated: loader.add('AiUsageFixedOnceCreated', file('fixed-once-created')),
    // AdminJS's own date components, replaced for every resource: days and times in the panel's zone.
    DateTimeList: loader.override('DefaultDatetimeListProperty', file('datetime-value')),
    DateTimeShow: loader.override('DefaultDatetimeShowProperty', file('datetime-value')),
    DateTimeFilter: loader.override('DefaultDatetimeFilterProperty', file('date-range-filter')),
    DateTimeEdit: loader.override('DefaultDatetimeEditProperty', file('datetime-edit')),
    // Page titles that name the resource or record, and an empty filtered list that offers to clear the filter.
    ActionHeader: loader.override('ActionHeader', file('action-header')),
    NoRecords: loader.override('NoRecords', file('no-records')),
    // Every list: the date hierarchy above it (resources with a dateHierarchy action), a remembered page size under it.
    PagedList: loader.override('DefaultListAction', file('paged-list')),
    // An action the user may not run says "You are not allowed to ...", not "Page not found".
    ResourceActionGuard: loader.override('ResourceActionRoute', file('resource-action-guard')),
    RecordActionGuard: loader.override('RecordActionRoute', file('record-action-guard')),
    // Global styles (tables that fit, the log as cards on phones) and drawers that close.
    TopBar: loader.override('TopBar', file('panel-chrome')),
  };
}

export type AdminComponents = ReturnType<typeof registerAdminComponents>;
