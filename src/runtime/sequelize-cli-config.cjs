'use strict';
// Database settings for sequelize-cli. DATABASE_URL wins; without it, the embedded PostgreSQL that
// `npm start` (or `npm run db:migrate`) starts under .data/pg, which must be running.
const url =
  process.env.DATABASE_URL || `postgres://postgres:postgres@127.0.0.1:${process.env.EMBEDDED_PG_PORT || 54329}/ai_usage`;
const settings = { url, dialect: 'postgres', logging: false };

module.exports = { development: settings, test: settings, production: settings };
