import { neutraliseFormulaText, restoreFormulaText, withExportImport } from '../../src/admin/export/index.js';
import { ComponentLoader } from 'adminjs';

describe('formula injection', () => {
  it.each([
    '=1+1', '+1', '-cmd', '@SUM(A1)', '\tlead', '\rcarriage', "'=quoted", "''=twice",
    // What spreadsheets trim before reading a formula, and the fullwidth signs they take for ASCII ones.
    ' =spaced', '   +1', '\u00A0=HYPERLINK("http://evil")', '\n=1+1', '\nlead', '\v=1', '\vlead', '\f=1', '\u3000=1',
    '\uFF1DHYPERLINK("http://evil")', '\uFF0B1', '\uFF0Dcmd', '\uFF20SUM(A1)', ' \uFF1D1', "' =quoted",
  ])('quotes %j and restores it exactly', (text) => {
    const neutral = neutraliseFormulaText(text);
    expect(neutral).toBe(`'${text}`);
    expect(restoreFormulaText(neutral)).toBe(text);
  });

  it.each(['plain', "'quoted but harmless", "it's", '', '1+1', ' spaced', 'a=b', '\u00A0text', 'x\n=1'])('leaves %j alone both ways', (text) => {
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
