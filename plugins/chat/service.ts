import { randomUUID } from 'node:crypto';
import { Op, type Sequelize } from 'sequelize';
import { outputCap, type GeminiFactory } from '../../src/gemini/index.js';
import { messagesToSummarize, summaryInstruction, systemInstruction, toTurn, type HistoryPolicy } from './history.js';
import type { ChatModels, ConversationAttributes, MessageAttributes } from './models.js';
import type { UserId } from '../../src/core/index.js';

/** What a reply and a summary may write: small caps keep each call's budget hold small. */
const REPLY_CAP = outputCap(2_048, 1_024);
const SUMMARY_CAP = outputCap(1_024, 512);

export interface ChatServiceOptions {
  sequelize: Sequelize;
  models: ChatModels;
  gemini: GeminiFactory;
  history: HistoryPolicy;
  /** Model of the replies (section chat). */
  chatModel: string;
  /** Model of the summaries (section session_memory). */
  summaryModel: string;
}

export interface ChatReply {
  conversation: ConversationAttributes;
  userMessage: MessageAttributes;
  reply: MessageAttributes;
}

/** The conversation is not the caller's, or does not exist. */
export class ConversationNotFoundError extends Error {
  override name = 'ConversationNotFoundError';
}

export function createChatService(options: ChatServiceOptions) {
  const { sequelize, models, gemini, history } = options;
  const { Conversation, Message } = models;

  async function owned(conversationId: string, userId: UserId): Promise<ConversationAttributes> {
    const conversation = await Conversation.findOne({ where: { id: conversationId, userId } });
    if (!conversation) throw new ConversationNotFoundError(`conversation ${conversationId} not found`);
    return conversation;
  }

  /** Appends a message at the next position; the row lock keeps concurrent sends in order. */
  async function append(conversationId: string, role: 'user' | 'model', content: string, id = randomUUID()): Promise<MessageAttributes> {
    return sequelize.transaction(async (transaction) => {
      const conversation = await Conversation.findByPk(conversationId, { transaction, lock: transaction.LOCK.UPDATE });
      if (!conversation) throw new ConversationNotFoundError(`conversation ${conversationId} not found`);
      const message = await Message.create({ id, conversationId, position: conversation.messageCount, role, content }, { transaction });
      await conversation.increment('messageCount', { transaction });
      return message;
    });
  }

  /** Folds the older messages into the conversation's summary (tracked under session_memory). */
  async function summarizeIfLong(conversation: ConversationAttributes, userId: UserId, total: number): Promise<void> {
    const target = messagesToSummarize(total, conversation.summarizedMessageCount, history);
    if (target <= conversation.summarizedMessageCount) return;
    const older = await Message.findAll({
      where: { conversationId: conversation.id, position: { [Op.gte]: conversation.summarizedMessageCount, [Op.lt]: target } },
      order: [['position', 'ASC']],
    });
    const model = gemini.model({
      model: options.summaryModel,
      userId,
      section: 'session_memory',
      metadata: { conversation_id: conversation.id, summarized_messages: older.length, summarized_through: target },
      generationConfig: SUMMARY_CAP,
    });
    const result = await model.generateContent(summaryInstruction(conversation.summary, older));
    await conversation.update({ summary: result.response.text(), summarizedMessageCount: target });
  }

  return {
    async create(userId: UserId, title: string, systemPrompt: string | null): Promise<ConversationAttributes> {
      return Conversation.create({ id: randomUUID(), userId, title, systemPrompt });
    },

    async get(conversationId: string, userId: UserId) {
      const conversation = await owned(conversationId, userId);
      const messages = await Message.findAll({ where: { conversationId }, order: [['position', 'ASC']] });
      return { conversation, messages };
    },

    /**
     * Stores the user's message, summarises old history when it grew past the threshold, and asks
     * Gemini for the reply with the summary plus the recent messages. A failed call leaves the user
     * message stored and no reply; the failure is in the ledger and rethrown.
     */
    async send(conversationId: string, userId: UserId, content: string): Promise<ChatReply> {
      await owned(conversationId, userId);
      const userMessage = await append(conversationId, 'user', content);
      const conversation = await owned(conversationId, userId);
      await summarizeIfLong(conversation, userId, userMessage.position + 1);
      const recent = await Message.findAll({
        where: { conversationId, position: { [Op.gte]: conversation.summarizedMessageCount, [Op.lte]: userMessage.position } },
        order: [['position', 'ASC']],
      });
      const replyId = randomUUID();
      const model = gemini.model({
        model: options.chatModel,
        userId,
        section: 'chat',
        metadata: { conversation_id: conversationId, message_id: replyId, history_messages: recent.length, summarized: conversation.summarizedMessageCount > 0 },
        systemInstruction: systemInstruction(conversation.systemPrompt, conversation.summary),
        generationConfig: REPLY_CAP,
      });
      const result = await model.generateContent({ contents: recent.map(toTurn) });
      const reply = await append(conversationId, 'model', result.response.text(), replyId);
      return { conversation: await owned(conversationId, userId), userMessage, reply };
    },
  };
}

export type ChatService = ReturnType<typeof createChatService>;
