import { AgencyKind as K, TaskForceRole as R } from '@hub/access';

/** Four task forces modelled on LUPTA: Bucharest and three regions around real Courts of Appeal. */
export const DEMO_TASK_FORCES = [
  {
    code: 'BUC',
    name: 'Task Force București',
    region: 'București–Ilfov',
    city: 'București',
    county: 'București',
    courtOfAppeal: 'Curtea de Apel București',
    counties: ['București', 'Ilfov', 'Călărași', 'Giurgiu', 'Ialomița', 'Teleorman'],
  },
  {
    code: 'IAS',
    name: 'Task Force Iași',
    region: 'Nord-Est',
    city: 'Iași',
    county: 'Iași',
    courtOfAppeal: 'Curtea de Apel Iași',
    counties: ['Iași', 'Vaslui'],
  },
  {
    code: 'CRA',
    name: 'Task Force Craiova',
    region: 'Sud-Vest Oltenia',
    city: 'Craiova',
    county: 'Dolj',
    courtOfAppeal: 'Curtea de Apel Craiova',
    counties: ['Dolj', 'Gorj', 'Mehedinți', 'Olt'],
  },
  {
    code: 'TIM',
    name: 'Task Force Timișoara',
    region: 'Vest',
    city: 'Timișoara',
    county: 'Timiș',
    courtOfAppeal: 'Curtea de Apel Timișoara',
    counties: ['Timiș', 'Arad', 'Caraș-Severin'],
  },
] as const;

type DemoTaskForce = (typeof DEMO_TASK_FORCES)[number];

/** One demo member per agency kind in every task force, covering every role. */
export const DEMO_SEATS: { slug: string; kind: K; role: R; agency: (tf: DemoTaskForce) => string }[] = [
  {
    slug: 'anitp',
    kind: K.NATIONAL_AGENCY,
    role: R.COORDINATOR,
    agency: (tf) => `ANITP – Centrul Regional ${tf.city}`,
  },
  {
    slug: 'diicot',
    kind: K.ORGANISED_CRIME_PROSECUTION,
    role: R.COORDINATOR,
    agency: (tf) => `DIICOT – Serviciul Teritorial ${tf.city}`,
  },
  { slug: 'police', kind: K.POLICE, role: R.MEMBER, agency: (tf) => `Poliția Română – BCCO ${tf.city}` },
  {
    slug: 'prosecutor',
    kind: K.PROSECUTION,
    role: R.MEMBER,
    agency: (tf) => `Parchetul de pe lângă Tribunalul ${tf.county}`,
  },
  { slug: 'border', kind: K.BORDER_POLICE, role: R.MEMBER, agency: (tf) => `Poliția de Frontieră – ${tf.city}` },
  {
    slug: 'labour',
    kind: K.LABOUR_INSPECTION,
    role: R.MEMBER,
    agency: (tf) => `Inspectoratul Teritorial de Muncă ${tf.county}`,
  },
  { slug: 'social', kind: K.SOCIAL_SERVICES, role: R.MEMBER, agency: (tf) => `DGASPC ${tf.county}` },
  {
    slug: 'ngo',
    kind: K.VICTIM_SUPPORT_NGO,
    role: R.MEMBER,
    agency: (tf) => `Asociația Sprijin pentru Victime ${tf.city}`,
  },
  { slug: 'court', kind: K.COURT, role: R.OBSERVER, agency: (tf) => tf.courtOfAppeal },
  {
    slug: 'iom',
    kind: K.INTERNATIONAL_ORGANISATION,
    role: R.OBSERVER,
    agency: () => 'OIM – Organizația Internațională pentru Migrație',
  },
  { slug: 'other', kind: K.OTHER, role: R.OBSERVER, agency: (tf) => `Consiliul Județean ${tf.county}` },
];

export const DEMO_ADMIN = {
  email: 'admin@demo.local',
  displayName: 'Administrator Platformă',
  agency: 'Task Force Hub – operator platformă',
  kind: K.OTHER,
};

const FIRST = ['Ana', 'Mihai', 'Elena', 'Andrei', 'Ioana', 'Radu', 'Maria', 'Cristian', 'Gabriela', 'Vlad', 'Irina'];
const LAST = [
  'Popescu',
  'Ionescu',
  'Dumitrescu',
  'Stan',
  'Georgescu',
  'Marin',
  'Tudor',
  'Dobre',
  'Barbu',
  'Nistor',
  'Florea',
];

export function demoEmail(slug: string, code: string): string {
  return `${slug}.${code.toLowerCase()}@demo.local`;
}

export function demoName(seat: number, taskForce: number): string {
  return `${FIRST[(seat + taskForce) % FIRST.length]} ${LAST[(seat * 3 + taskForce) % LAST.length]}`;
}
