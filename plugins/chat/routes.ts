import { Router } from 'express';
import { aiFailure, apiUserOf, HttpError, route, stringField } from '../../src/plugin-routes.js';
import type { MessageAttributes } from './models.js';
import { ConversationNotFoundError, type ChatService } from './service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_MESSAGE_CHARS = 8_000;

function conversationId(raw: string | undefined): string {
  if (!raw || !UUID.test(raw)) throw new HttpError(404, 'conversation not found');
  return raw;
}

const messageJson = (m: MessageAttributes) => ({ id: m.id, role: m.role, content: m.content, position: m.position, created_at: m.createdAt });

/** Maps what the service throws to API answers; Gemini failures are already in the ledger. */
function answerError(error: unknown): never {
  if (error instanceof ConversationNotFoundError) throw new HttpError(404, 'conversation not found');
  if (error instanceof HttpError) throw error;
  throw aiFailure(error);
}

/** /api/chat: conversations of the authenticated user. */
export function chatRoutes(service: ChatService): Router {
  const router = Router();

  router.post('/chat/conversations', route(async (req, res) => {
    const user = apiUserOf(req);
    const title = stringField(req.body, 'title', { max: 200, required: false }) ?? 'New conversation';
    const systemPrompt = stringField(req.body, 'system_prompt', { max: 8_000, required: false });
    const conversation = await service.create(user.id, title, systemPrompt);
    res.status(201).json({ id: conversation.id, title: conversation.title, system_prompt: conversation.systemPrompt, created_at: conversation.createdAt });
  }));

  router.post('/chat/conversations/:id/messages', route(async (req, res) => {
    const user = apiUserOf(req);
    const id = conversationId(req.params.id);
    const content = stringField(req.body, 'content', { max: MAX_MESSAGE_CHARS })!;
    const { conversation, userMessage, reply } = await service.send(id, user.id, content).catch(answerError);
    res.status(201).json({
      conversation_id: conversation.id,
      message: messageJson(userMessage),
      reply: messageJson(reply),
      summarized_messages: conversation.summarizedMessageCount,
    });
  }));

  router.get('/chat/conversations/:id', route(async (req, res) => {
    const user = apiUserOf(req);
    const { conversation, messages } = await service.get(conversationId(req.params.id), user.id).catch(answerError);
    res.json({
      id: conversation.id,
      title: conversation.title,
      system_prompt: conversation.systemPrompt,
      summary: conversation.summary,
      summarized_messages: conversation.summarizedMessageCount,
      messages: messages.map(messageJson),
    });
  }));

  return router;
}
