import { DEFAULT_SECTIONS, DuplicateSectionError, SectionRegistry, UnknownSectionError } from '../../src/core/index.js';

describe('SectionRegistry', () => {
  it('starts with the ten sections of the original system, each with label, colour and default model', () => {
    const registry = new SectionRegistry();
    expect(registry.list().map((s) => s.id)).toEqual([
      'chat', 'knowledge_qa', 'prompt_generation', 'marketing_workflow', 'product_recommendation',
      'rag_pipeline', 'web_knowledge', 'session_memory', 'intent_detection', 'embedding_generation',
    ]);
    expect(DEFAULT_SECTIONS.every((s) => /^#[0-9a-f]{6}$/.test(s.color) && s.label && s.defaultModel)).toBe(true);
  });

  it('adds a section, refuses a duplicate and answers an unknown one with a typed error', () => {
    const registry = new SectionRegistry();
    registry.register({ id: 'support_triage', label: 'Support triage', color: '#0f766e', defaultModel: 'gemini-2.5-flash-lite' });
    expect(registry.get('support_triage').label).toBe('Support triage');
    expect(() => registry.register({ id: 'chat', label: 'Chat', color: '#000000', defaultModel: 'x' })).toThrow(DuplicateSectionError);
    expect(() => registry.get('nope')).toThrow(UnknownSectionError);
  });

  it('refuses a malformed id or colour', () => {
    const registry = new SectionRegistry([]);
    expect(() => registry.register({ id: 'Bad Id', label: 'x', color: '#000000', defaultModel: 'x' })).toThrow('section id "Bad Id" must match');
    expect(() => registry.register({ id: 'ok_id', label: 'x', color: 'red', defaultModel: 'x' })).toThrow('color "red" must be #rrggbb');
  });
});
