import { AuditRecord } from '@hub/audit';
import { Agency, AuthSession, Member, Membership, RefreshToken } from '@hub/identity';
import { TaskForce } from '@hub/task-forces';

/** Every entity of the hub, for the ORM and the migrations. A new domain adds its entities here. */
export const ENTITIES = [TaskForce, Agency, Member, Membership, AuthSession, RefreshToken, AuditRecord];
