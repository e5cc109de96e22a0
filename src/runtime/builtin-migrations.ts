/**
 * Migration folders of the plugins this application ships, in registration order. The test
 * template and `npm run db:migrate` use it; createApp takes the folders from the plugins it is given.
 */
export const ALL_PLUGIN_MIGRATION_DIRS: readonly string[] = [];
