import type { ResourceWithOptions } from 'adminjs';
import type { ChatModels } from './models.js';

const navigation = { name: 'Chat', icon: 'MessageCircle' };

/** Conversations and messages in the panel; messages are a transcript, so never edited there. */
export function chatResources(models: ChatModels): ResourceWithOptions[] {
  return [
    {
      resource: models.Conversation,
      options: {
        id: 'chat_conversations',
        navigation,
        sort: { sortBy: 'updatedAt', direction: 'desc' },
        listProperties: ['title', 'userId', 'messageCount', 'summarizedMessageCount', 'updatedAt'],
        properties: { summary: { type: 'textarea' }, systemPrompt: { type: 'textarea' } },
        translations: { en: { labels: { chat_conversations: 'Conversations' } } },
        actions: { new: { isAccessible: false } },
      },
    },
    {
      resource: models.Message,
      options: {
        id: 'chat_messages',
        navigation,
        sort: { sortBy: 'createdAt', direction: 'desc' },
        listProperties: ['conversationId', 'position', 'role', 'content', 'createdAt'],
        properties: { content: { type: 'textarea' }, conversationId: { reference: 'chat_conversations' } },
        translations: { en: { labels: { chat_messages: 'Messages' }, properties: { conversationId: 'Conversation' } } },
        actions: { new: { isAccessible: false }, edit: { isAccessible: false } },
      },
    },
  ];
}
