import { TaskForceRole } from '@hub/access';
import { sharedRoles } from './shared-roles';

describe('sharedRoles', () => {
  it('gives actors with the same memberships one roles map, whatever the order they were read in', () => {
    const a = sharedRoles([
      ['tf-1', TaskForceRole.MEMBER],
      ['tf-2', TaskForceRole.COORDINATOR],
    ]);
    const b = sharedRoles([
      ['tf-2', TaskForceRole.COORDINATOR],
      ['tf-1', TaskForceRole.MEMBER],
    ]);
    expect(b).toBe(a);
    expect([...a]).toEqual([
      ['tf-1', TaskForceRole.MEMBER],
      ['tf-2', TaskForceRole.COORDINATOR],
    ]);
  });

  it('keeps different memberships apart: another role or another task force is another map', () => {
    const member = sharedRoles([['tf-1', TaskForceRole.MEMBER]]);
    expect(sharedRoles([['tf-1', TaskForceRole.COORDINATOR]])).not.toBe(member);
    expect(sharedRoles([['tf-3', TaskForceRole.MEMBER]])).not.toBe(member);
    expect(sharedRoles([]).size).toBe(0);
  });
});
