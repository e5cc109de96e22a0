import { neutraliseFormulaText, restoreFormulaText, withExportImport } from '../../src/admin/export/index.js';
import { ComponentLoader } from 'adminjs';

describe('formula injection', () => {
  it.each(['=1+1', '+1', '-cmd', '@SUM(A1)', '\tlead', '\rcarriage', "'=quoted", "''=twice"])('quotes %j and restores it exactly', (text) => {
    const neutral = neutraliseFormulaText(text);
    expect(neutral).toBe(`'${text}`);
    expect(restoreFormulaText(neutral)).toBe(text);
  });

  it.each(['plain', "'quoted but harmless", "it's", '', '1+1', ' =spaced'])('leaves %j alone both ways', (text) => {
    expect(neutraliseFormulaText(text)).toBe(text);
    expect(restoreFormulaText(text)).toBe(text);
  });
});

describe('withExportImport', () => {
  it('adds the feature to every resource after the features it has, and checks its options', () => {
    const own = () => ({});
    const resources = withExportImport([{ resource: {}, options: {} }, { resource: {}, options: {}, features: [own] }], { componentLoader: new ComponentLoader() });
    expect(resources.map((resource) => resource.features?.length)).toEqual([1, 2]);
    expect(resources[1]!.features![0]).toBe(own);
    expect(() => withExportImport([], { componentLoader: new ComponentLoader(), formats: ['xml' as never] })).toThrow('exportImportFeature: formats must be a non-empty array of csv, xlsx, ndjson, json');
    expect(() => withExportImport([], {} as never)).toThrow('exportImportFeature: componentLoader is required');
  });
});
