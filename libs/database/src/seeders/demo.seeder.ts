import { type EntityManager } from '@mikro-orm/core';
import { Agency, Member, Membership } from '@hub/identity';
import { TaskForce } from '@hub/task-forces';
import { DEMO_ADMIN, DEMO_SEATS, DEMO_TASK_FORCES, demoEmail, demoName } from './demo.data';
import { DEMO_HISTORY, DEMO_NATIONAL, seedDemoHistory } from './demo-history.seeder';
import { type Seats, seedDemoWork } from './demo-work.seeder';

/** Fills an empty database with the demo task forces and their work. Does nothing when the demo administrator exists. */
export async function seedDemoData(em: EntityManager, passwordHash: string): Promise<boolean> {
  if (await em.count(Member, { email: DEMO_ADMIN.email })) return false;
  await em.transactional(async (tx) => {
    const agencies = new Map<string, Agency>();
    const agency = (name: string, kind: Agency['kind']) => {
      let found = agencies.get(name);
      if (!found) agencies.set(name, (found = tx.create(Agency, { name, kind })));
      return found;
    };
    tx.create(Member, {
      email: DEMO_ADMIN.email,
      displayName: DEMO_ADMIN.displayName,
      agency: agency(DEMO_ADMIN.agency, DEMO_ADMIN.kind),
      passwordHash,
      isPlatformAdmin: true,
    });
    tx.create(Member, {
      email: DEMO_NATIONAL.email,
      displayName: DEMO_NATIONAL.displayName,
      agency: agency(DEMO_NATIONAL.agency, DEMO_NATIONAL.kind),
      passwordHash,
      isNationalProgramme: true,
    });
    DEMO_TASK_FORCES.forEach((spec, t) => {
      const { city: _city, county: _county, ...fields } = spec;
      const taskForce = tx.create(TaskForce, { ...fields, counties: [...spec.counties] });
      const seats: Seats = {};
      DEMO_SEATS.forEach((seat, s) => {
        const member = tx.create(Member, {
          email: demoEmail(seat.slug, spec.code),
          displayName: demoName(s, t),
          agency: agency(seat.agency(spec), seat.kind),
          passwordHash,
        });
        tx.create(Membership, { taskForce, member, role: seat.role });
        seats[seat.slug] = member;
      });
      seedDemoWork(tx, taskForce, seats);
      seedDemoHistory(tx, taskForce, Object.values(seats), DEMO_HISTORY);
    });
  });
  return true;
}

/** The lines the start prints, so a person can sign in straight away. */
/** `passwordIn` says where the password is (its file, or DEMO_PASSWORD): the banner ends up in logs, the password must not. */
export function demoLoginLines(passwordIn: string): string[] {
  const code = DEMO_TASK_FORCES[0].code;
  return [
    `Demo logins (one password for all, in ${passwordIn})`,
    `  ${DEMO_ADMIN.email.padEnd(28)} platform administrator`,
    `  ${DEMO_NATIONAL.email.padEnd(28)} national programme (the national roll-up only)`,
    ...DEMO_SEATS.map(
      (seat) =>
        `  ${demoEmail(seat.slug, code).padEnd(28)} ${seat.role.toLowerCase()}, ${seat.kind.toLowerCase().replace(/_/g, ' ')}`,
    ),
    `  The same people exist in ${DEMO_TASK_FORCES.slice(1)
      .map((tf) => tf.code)
      .join(', ')}: replace ".${code.toLowerCase()}" with ${DEMO_TASK_FORCES.slice(1)
      .map((tf) => `".${tf.code.toLowerCase()}"`)
      .join(', ')}.`,
  ];
}
