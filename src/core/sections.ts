import { DuplicateSectionError, UnknownSectionError } from './errors.js';

/** One feature of the host application whose AI usage is tracked under its own name. */
export interface SectionDefinition {
  /** Stable identifier stored in ai_usage_logs.section, e.g. `chat`. */
  id: string;
  /** Human label shown in the panel. */
  label: string;
  /** Badge colour, a #rrggbb hex value. */
  color: string;
  /** Model used when an event names none. */
  defaultModel: string;
}

const SECTION_ID = /^[a-z][a-z0-9_]{1,62}$/;
const HEX_COLOR = /^#[0-9a-f]{6}$/i;

/** The ten sections of the original system, in its order. */
export const DEFAULT_SECTIONS: readonly SectionDefinition[] = [
  { id: 'chat', label: 'Chat', color: '#2563eb', defaultModel: 'gemini-2.5-flash' },
  { id: 'knowledge_qa', label: 'Knowledge Q&A', color: '#9333ea', defaultModel: 'gemini-2.5-pro' },
  { id: 'prompt_generation', label: 'Prompt generation', color: '#db2777', defaultModel: 'gemini-2.5-pro' },
  { id: 'marketing_workflow', label: 'Marketing workflow', color: '#ea580c', defaultModel: 'gemini-2.5-flash' },
  { id: 'product_recommendation', label: 'Product recommendation', color: '#16a34a', defaultModel: 'gemini-2.5-flash' },
  { id: 'rag_pipeline', label: 'RAG pipeline', color: '#0891b2', defaultModel: 'gemini-2.5-flash' },
  { id: 'web_knowledge', label: 'Web knowledge', color: '#78350f', defaultModel: 'gemini-2.5-flash-lite' },
  { id: 'session_memory', label: 'Session memory', color: '#64748b', defaultModel: 'gemini-2.5-flash-lite' },
  { id: 'intent_detection', label: 'Intent detection', color: '#ca8a04', defaultModel: 'gemini-2.5-flash-lite' },
  { id: 'embedding_generation', label: 'Embedding generation', color: '#0d9488', defaultModel: 'gemini-embedding-001' },
];

/** The sections known to one application: the defaults plus those its plugins add. */
export class SectionRegistry {
  private readonly byId = new Map<string, SectionDefinition>();

  constructor(initial: readonly SectionDefinition[] = DEFAULT_SECTIONS) {
    for (const section of initial) this.register(section);
  }

  /** Adds a section; a second section with the same id is a startup error. */
  register(section: SectionDefinition): void {
    if (!SECTION_ID.test(section.id)) {
      throw new TypeError(`section id "${section.id}" must match ${SECTION_ID}`);
    }
    if (!HEX_COLOR.test(section.color)) {
      throw new TypeError(`section "${section.id}": color "${section.color}" must be #rrggbb`);
    }
    if (!section.label.trim() || !section.defaultModel.trim()) {
      throw new TypeError(`section "${section.id}": label and defaultModel are required`);
    }
    if (this.byId.has(section.id)) throw new DuplicateSectionError(section.id);
    this.byId.set(section.id, Object.freeze({ ...section }));
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The section, or UnknownSectionError. */
  get(id: string): SectionDefinition {
    const section = this.byId.get(id);
    if (!section) throw new UnknownSectionError(id);
    return section;
  }

  list(): SectionDefinition[] {
    return [...this.byId.values()];
  }
}
