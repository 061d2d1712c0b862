import { badInput } from '@hub/core';
import { type Breakdown, INDICATOR, type IndicatorId } from './indicators';

/**
 * The languages of the report files, as the web client's: Romanian and English. The client sends its
 * own (`?lang=ro`); another caller's `Accept-Language` picks one; English otherwise, as before.
 */
export type ReportLanguage = 'en' | 'ro';
export const REPORT_LANGUAGES: readonly ReportLanguage[] = ['en', 'ro'];

export function reportLanguageOf(lang: string | undefined, acceptLanguage: string | undefined): ReportLanguage {
  if (lang !== undefined && lang !== '') {
    if ((REPORT_LANGUAGES as readonly string[]).includes(lang)) return lang as ReportLanguage;
    throw badInput('lang', `The report language must be one of ${REPORT_LANGUAGES.join(', ')}.`);
  }
  // "ro-RO,ro;q=0.9,en;q=0.8": the first language we have, by quality then by order.
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { primary: tag.split('-')[0], q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return (ranked.find((x) => (REPORT_LANGUAGES as readonly string[]).includes(x.primary))?.primary ??
    'en') as ReportLanguage;
}

interface Words {
  documentTitle: (period: string) => string;
  nationalTitle: (period: string, from: string, to: string) => string;
  nationalNote: string;
  previousQuarter: (period: string | null) => string;
  taskForce: string;
  total: string;
  reportFor: (period: string, from: string, to: string) => string;
  versionAndTrend: (version: number, trend: string) => string;
  version: (version: number) => string;
  chart: (name: string) => string;
  none: string;
  units: Record<'count' | 'ratio' | 'days', string>;
  /** Breakdown keys: ALL and UNASSIGNED, then case stages and agency kinds apart (PROSECUTION is both). */
  keys: { common: Record<string, string>; stage: Record<string, string>; agencyKind: Record<string, string> };
  /** Indicator names and formulas; English ones are the definitions' own. */
  indicators?: Record<IndicatorId, { name: string; formula: string }>;
  /** A decimal as the language writes it. */
  decimal: (v: number) => string;
}

const EN: Words = {
  documentTitle: (p) => `Task force report ${p}`,
  nationalTitle: (p, from, to) => `National roll-up for ${p} (${from} to ${to})`,
  nationalNote:
    'Every task force side by side and in total, computed when the quarter closed. “<5” marks a count that is not shown: it is from 1 to 4, or it would let one be worked out from the totals, the neighbouring cells, another table or the previous quarter.',
  previousQuarter: (p) => (p ? `Previous quarter: ${p}.` : 'No previous quarter was closed.'),
  taskForce: 'Task force',
  total: 'Total',
  reportFor: (p, from, to) => `Programme report for ${p} (${from} to ${to})`,
  versionAndTrend: (v, trend) => `Indicators version ${v}. Trend: ${trend}.`,
  version: (v) => `Indicators version ${v}.`,
  chart: (name) => `Chart: ${name}`,
  none: '(none in these periods)',
  units: { count: 'count', ratio: 'ratio', days: 'days' },
  keys: {
    common: { ALL: 'All', UNASSIGNED: 'Unassigned' },
    stage: {
      IDENTIFICATION: 'Identification',
      INVESTIGATION: 'Investigation',
      PROSECUTION: 'Prosecution',
      TRIAL: 'Trial',
      CLOSED: 'Closed',
    },
    agencyKind: {
      POLICE: 'Police',
      ORGANISED_CRIME_PROSECUTION: 'Organised crime prosecution',
      PROSECUTION: 'Prosecution',
      COURT: 'Court',
      BORDER_POLICE: 'Border police',
      LABOUR_INSPECTION: 'Labour inspection',
      SOCIAL_SERVICES: 'Social services',
      VICTIM_SUPPORT_NGO: 'Victim support NGO',
      NATIONAL_AGENCY: 'National agency',
      INTERNATIONAL_ORGANISATION: 'International organisation',
      OTHER: 'Other',
    },
  },
  decimal: (v) => String(v),
};

// The names are the web client's (apps/web/src/features/reports/messages.ts; a unit test compares them).
const RO: Words = {
  documentTitle: (p) => `Raportul grupului de lucru ${p}`,
  nationalTitle: (p, from, to) => `Situația națională pentru ${p} (de la ${from} până la ${to})`,
  nationalNote:
    'Toate grupurile de lucru, unul lângă altul și în total, calculate la încheierea trimestrului. „<5” marchează un număr care nu este afișat: este între 1 și 4 sau ar permite aflarea unuia din totaluri, din celulele vecine, din alt tabel sau din trimestrul anterior.',
  previousQuarter: (p) => (p ? `Trimestrul anterior: ${p}.` : 'Niciun trimestru anterior încheiat.'),
  taskForce: 'Grupul de lucru',
  total: 'Total',
  reportFor: (p, from, to) => `Raportul programului pentru ${p} (de la ${from} până la ${to})`,
  versionAndTrend: (v, trend) => `Versiunea indicatorilor: ${v}. Evoluție: ${trend}.`,
  version: (v) => `Versiunea indicatorilor: ${v}.`,
  chart: (name) => `Grafic: ${name}`,
  none: '(nimic în aceste perioade)',
  units: { count: 'număr', ratio: 'raport', days: 'zile' },
  keys: {
    common: { ALL: 'Toate', UNASSIGNED: 'Nealocate' },
    stage: {
      IDENTIFICATION: 'Identificare',
      INVESTIGATION: 'Urmărire penală',
      PROSECUTION: 'Trimitere în judecată',
      TRIAL: 'Judecată',
      CLOSED: 'Închis',
    },
    agencyKind: {
      POLICE: 'Poliție',
      ORGANISED_CRIME_PROSECUTION: 'Parchet crimă organizată (DIICOT)',
      COURT: 'Instanță',
      BORDER_POLICE: 'Poliția de Frontieră',
      LABOUR_INSPECTION: 'Inspecția muncii',
      SOCIAL_SERVICES: 'Servicii sociale',
      VICTIM_SUPPORT_NGO: 'ONG de sprijin pentru victime',
      NATIONAL_AGENCY: 'Agenția națională',
      INTERNATIONAL_ORGANISATION: 'Organizație internațională',
      OTHER: 'Altele',
      PROSECUTION: 'Parchet',
    },
  },
  indicators: {
    'meetings.scheduled': {
      name: 'Ședințe programate',
      formula: 'Ședințele care încep în perioadă, orice s-ar fi întâmplat cu ele (ținute, anulate, încă planificate).',
    },
    'meetings.held': {
      name: 'Ședințe ținute',
      formula: 'Ședințele care încep în perioadă și care au fost ținute și încheiate (starea ENDED).',
    },
    'meetings.heldRate': {
      name: 'Ședințe ținute față de cele programate',
      formula: 'meetings.held ÷ meetings.scheduled (gol când nu a fost programată nicio ședință).',
    },
    'attendance.meetingsWithAgencyKind': {
      name: 'Ședințe la care a participat, pe tip de instituție',
      formula:
        'Ședințele ținute în perioadă la care a fost înregistrat prezent cel puțin un membru al unei instituții de acel tip.',
    },
    'attendance.rateByAgencyKind': {
      name: 'Rata de participare, pe tip de instituție',
      formula:
        'attendance.meetingsWithAgencyKind ÷ meetings.held, pentru fiecare tip de instituție cu un membru în grupul de lucru.',
    },
    'attendance.agenciesPerMeeting': {
      name: 'Instituții prezente pe ședință',
      formula: 'Media, pe ședințele ținute în perioadă, a numărului de instituții distincte prezente.',
    },
    'actionItems.created': {
      name: 'Sarcini create',
      formula:
        'Sarcinile create în perioadă, după tipul instituției responsabile (instituția atribuită, altfel a membrului atribuit; Nealocate dacă niciuna).',
    },
    'actionItems.closedOnTime': {
      name: 'Sarcini încheiate la termen',
      formula:
        'Sarcinile îndeplinite (DONE) în perioadă înainte de sfârșitul zilei-termen, după tipul instituției responsabile.',
    },
    'actionItems.closedLate': {
      name: 'Sarcini încheiate cu întârziere',
      formula:
        'Sarcinile îndeplinite (DONE) în perioadă după sfârșitul zilei-termen, după tipul instituției responsabile.',
    },
    'actionItems.overdue': {
      name: 'Sarcini restante la sfârșitul perioadei',
      formula:
        'Sarcinile create înainte de sfârșitul perioadei, cu termenul înainte de încheierea ultimei ei zile, neîndeplinite până atunci și neanulate, după tipul instituției responsabile.',
    },
    'actionItems.medianDaysLate': {
      name: 'Mediana zilelor de întârziere',
      formula:
        'Dintre sarcinile încheiate cu întârziere în perioadă: mediana zilelor întregi (rotunjite în sus) de la sfârșitul zilei-termen până la îndeplinire; Toate înseamnă toate tipurile împreună.',
    },
    'decisions.recorded': {
      name: 'Decizii consemnate',
      formula: 'Deciziile consemnate în perioadă în ședințele grupului de lucru.',
    },
    'decisions.followedUp': {
      name: 'Decizii urmate de o sarcină încheiată',
      formula:
        'Dintre deciziile consemnate: cele cu cel puțin o sarcină creată din ele și îndeplinită până la sfârșitul perioadei.',
    },
    'cases.byStage': {
      name: 'Fișe de caz pe etape',
      formula:
        'Fișele de caz existente la sfârșitul perioadei, după etapa înregistrată de ultima lor revizie de până atunci.',
    },
    'cases.transitions': {
      name: 'Treceri între etape',
      formula: 'Reviziile din perioadă care au schimbat etapa unei fișe de caz, după „DE LA→LA”.',
    },
    'cases.daysToStage': {
      name: 'Zile de la crearea cazului până la etapă',
      formula:
        'Pentru fișele de caz care au ajuns prima dată la o etapă în perioadă: media zilelor de la crearea lor până la acea revizie.',
    },
    'victims.total': {
      name: 'Victime (din numerele cazurilor)',
      formula:
        'Suma numărului de victime din fișele de caz la sfârșitul perioadei (ultima revizie de până atunci), pe etape.',
    },
    'victims.inProceedings': {
      name: 'Victime care participă la proceduri',
      formula: 'Suma numărului de victime care participă la proceduri, ca pentru victims.total.',
    },
    'victims.minors': {
      name: 'Minori printre victime',
      formula: 'Suma numărului de minori, ca pentru victims.total.',
    },
    'referrals.answeredInTime': {
      name: 'Referiri la care s-a răspuns la timp',
      formula:
        'Referirile al căror termen de răspuns a căzut în perioadă și la care instituția primitoare a răspuns (acceptat sau refuzat) până atunci.',
    },
    'referrals.overridden': {
      name: 'Referiri făcute fără consimțământ, prin decizia coordonatorului',
      formula: 'Referirile cerute în perioadă fără un consimțământ care să le acopere, prin decizia unui coordonator.',
    },
    'consents.withdrawn': {
      name: 'Consimțăminte retrase',
      formula: 'Consimțămintele de a împărtăși un caz, înregistrate în grupul de lucru, retrase în perioadă.',
    },
    'hearings.checklistComplete': {
      name: 'Termene cu lista de pregătire completă',
      formula:
        'Termenele care încep în perioadă cu fiecare punct al listei îndeplinit sau nenecesar, niciunul schimbat după începerea termenului.',
    },
  },
  decimal: (v) => String(v).replace('.', ','),
};

const WORDS: Record<ReportLanguage, Words> = { en: EN, ro: RO };

/** The words of a report file in one language. */
export function reportWords(language: ReportLanguage) {
  const w = WORDS[language];
  /** A row's label: by the table's breakdown, a transition FROM→TO as two stages. */
  const key = (k: string, breakdown: Breakdown): string =>
    k.includes('→')
      ? k
          .split('→')
          .map((part) => key(part, 'stage'))
          .join(' → ')
      : k === 'TOTAL'
        ? w.total
        : (w.keys.common[k] ??
          (breakdown === 'stage' ? w.keys.stage[k] : breakdown === 'agencyKind' ? w.keys.agencyKind[k] : undefined) ??
          k);
  return {
    ...w,
    key,
    name: (id: IndicatorId) => w.indicators?.[id].name ?? INDICATOR[id].name,
    formula: (id: IndicatorId) => w.indicators?.[id].formula ?? INDICATOR[id].formula,
    value: (v: number | null) => (v === null ? '–' : Number.isInteger(v) ? String(v) : w.decimal(v)),
  };
}
