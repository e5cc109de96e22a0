import type { ResourceWithOptions } from 'adminjs';
import { defineDeadLetterModel } from '../../core/models/dead-letter.js';
import { SafeSequelizeResource } from '../safe-resource.js';
import { NO_WRITE_ACTIONS, type AdminContext } from './context.js';

export const DEAD_LETTERS_ID = 'ai_usage_dead_letters';

/** Spooled events the database kept refusing (e.g. their user was deleted meanwhile), with the reason: read-only. */
export function deadLettersResource(context: AdminContext): ResourceWithOptions {
  return {
    resource: new SafeSequelizeResource(defineDeadLetterModel(context.sequelize), { readOnly: true }),
    options: {
      id: DEAD_LETTERS_ID,
      navigation: { name: 'AI usage', icon: 'Activity' },
      sort: { sortBy: 'deadAt', direction: 'desc' },
      listProperties: ['deadAt', 'id', 'reason', 'attempts', 'createdAt', 'replayedAt'],
      showProperties: ['id', 'reason', 'attempts', 'createdAt', 'spooledAt', 'deadAt', 'replayedAt', 'replayError', 'payload'],
      filterProperties: ['deadAt', 'createdAt', 'reason'],
      properties: { payload: { type: 'textarea' } },
      translations: {
        en: {
          labels: { [DEAD_LETTERS_ID]: 'Dead letters (spool)' },
          properties: { id: 'Event id', createdAt: 'Event time', spooledAt: 'Spooled at', deadAt: 'Dead since', replayedAt: 'Replayed at', replayError: 'Replay error' },
        },
      },
      actions: { ...NO_WRITE_ACTIONS },
    },
  };
}
