import { en, ro } from '../../../apps/web/src/i18n/messages';
import { INDICATORS } from './indicators';
import { reportLanguageOf, reportWords } from './report-language';

describe('the report files’ language', () => {
  it('takes the client’s lang, else the first of ours in Accept-Language by quality, else English', () => {
    expect(reportLanguageOf('ro', 'en')).toBe('ro');
    expect(reportLanguageOf('en', 'ro-RO')).toBe('en');
    expect(reportLanguageOf(undefined, 'ro-RO,ro;q=0.9,en;q=0.8')).toBe('ro');
    expect(reportLanguageOf(undefined, 'de-DE,en;q=0.5,ro;q=0.7')).toBe('ro');
    expect(reportLanguageOf('', 'fr, en-GB;q=0.9')).toBe('en');
    expect(reportLanguageOf(undefined, 'ro;q=0, de')).toBe('en');
    expect(reportLanguageOf(undefined, undefined)).toBe('en');
  });

  it('refuses a language it does not have, naming the field', () => {
    expect(() => reportLanguageOf('de', undefined)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', extensions: { field: 'lang' } }),
    );
  });

  it('names the stages and agency kinds as the web client does, and the indicators in Romanian too', () => {
    for (const [language, dictionary] of [
      ['en', en],
      ['ro', ro],
    ] as const) {
      const w = reportWords(language);
      const d = dictionary as Record<string, string>;
      // English names are the definitions' own (the glossary's), which the web client words its way.
      if (language === 'ro')
        for (const def of INDICATORS) expect([def.id, w.name(def.id)]).toEqual([def.id, d[`indicator.${def.id}`]]);
      for (const key of Object.keys(w.keys.stage)) expect(w.key(key, 'stage')).toBe(d[`case.stage.${key}`]);
      for (const key of Object.keys(w.keys.agencyKind)) expect(w.key(key, 'agencyKind')).toBe(d[`agencyKind.${key}`]);
      expect(w.key('ALL', 'none')).toBe(d['report.ALL']);
      expect(w.key('UNASSIGNED', 'agencyKind')).toBe(d['report.UNASSIGNED']);
    }
    expect(reportWords('ro').key('PROSECUTION', 'agencyKind')).toBe('Parchet');
    expect(reportWords('ro').key('INVESTIGATION→PROSECUTION', 'transition')).toBe(
      'Urmărire penală → Trimitere în judecată',
    );
    expect(reportWords('ro').value(0.667)).toBe('0,667');
  });
});
