import { extractText } from './html-text.js';
import type { KnowledgeService } from './service.js';

const PAGES = [
  `<html><head><title>Shipping policy</title></head><body><h1>Shipping</h1><p>Orders ship within 2 business days from our Leeds warehouse.</p>
   <p>Standard delivery takes 3 to 5 days and is free above £40. Express delivery costs £6.50 and arrives next day when ordered before 2 pm.</p>
   <p>We ship to the UK, Ireland and the EU. Tracking links are emailed when the parcel leaves.</p></body></html>`,
  `<html><head><title>Returns &amp; refunds</title></head><body><p>You can return any item within 30 days in its original packaging.</p>
   <p>Return shipping is free with the prepaid label in your order confirmation. Refunds reach your card within 5 business days after we receive the parcel.</p>
   <p>Sale items can be exchanged but not refunded.</p></body></html>`,
];

/** Demo pages of demo@example.com, given as HTML (no network at first start). */
export async function seedKnowledge(service: KnowledgeService, userId: number): Promise<void> {
  for (const html of PAGES) {
    const { title, text } = extractText(html);
    await service.add(userId, { url: null, title, content: text });
  }
}
