import type { Locale } from 'adminjs';

/** The panel's icon: a bar chart in the panel's blue, as an inline SVG. */
export const PANEL_FAVICON = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#3040d6"/><rect x="3" y="8" width="2.5" height="5" fill="#fff"/><rect x="6.75" y="5" width="2.5" height="8" fill="#fff"/><rect x="10.5" y="3" width="2.5" height="10" fill="#fff"/></svg>',
)}`;

/**
 * The panel's own texts over AdminJS's English: its login page, and navigation groups as written
 * (AdminJS would title-case "Knowledge Q&A" into "Knowledge Q A").
 */
export const PANEL_LOCALE: Locale = {
  language: 'en',
  availableLanguages: ['en'],
  translations: {
    en: {
      components: {
        Login: {
          welcomeHeader: 'AI usage ledger',
          welcomeMessage: 'Every Gemini request of your applications, with its tokens, cost, response time and outcome, by user and feature. Sign in to filter, chart and export it.',
          loginButton: 'Sign in',
        },
      },
      labels: {
        'AI usage': 'AI usage',
        Accounts: 'Accounts',
        'Alerts and reports': 'Alerts and reports',
        Chat: 'Chat',
        'Knowledge Q&A': 'Knowledge Q&A',
        'Prompt generation': 'Prompt generation',
      },
    },
  },
};
