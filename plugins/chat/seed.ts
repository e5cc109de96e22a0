import type { ChatService } from './service.js';

const DEMO_CONVERSATIONS: { title: string; messages: string[] }[] = [
  { title: 'Where is my order?', messages: ['Hi, I ordered a blue kettle last Tuesday, order 48213.', 'It still says processing. When will it ship?', 'Can I change the delivery address to my office?'] },
  { title: 'Gift card question', messages: ['Do your gift cards expire?', 'Can I use two gift cards on one order?'] },
  { title: 'Returns', messages: ['The jacket I bought is too small.', 'Do I pay for return shipping?', 'How long until the refund shows up?', 'Thanks!'] },
];

/** Demo conversations of demo@example.com, replies generated through the instrumented client. */
export async function seedChat(service: ChatService, userId: number): Promise<void> {
  for (const { title, messages } of DEMO_CONVERSATIONS) {
    const conversation = await service.create(userId, title, 'You are the friendly support assistant of an online homeware shop.');
    for (const message of messages) await service.send(conversation.id, userId, message);
  }
}
