/** The words the access policy is written in. Entities and GraphQL enums reuse these values. */

export enum AgencyKind {
  POLICE = 'POLICE',
  ORGANISED_CRIME_PROSECUTION = 'ORGANISED_CRIME_PROSECUTION',
  PROSECUTION = 'PROSECUTION',
  COURT = 'COURT',
  BORDER_POLICE = 'BORDER_POLICE',
  LABOUR_INSPECTION = 'LABOUR_INSPECTION',
  SOCIAL_SERVICES = 'SOCIAL_SERVICES',
  VICTIM_SUPPORT_NGO = 'VICTIM_SUPPORT_NGO',
  NATIONAL_AGENCY = 'NATIONAL_AGENCY',
  INTERNATIONAL_ORGANISATION = 'INTERNATIONAL_ORGANISATION',
  OTHER = 'OTHER',
}

export enum TaskForceRole {
  COORDINATOR = 'COORDINATOR',
  MEMBER = 'MEMBER',
  OBSERVER = 'OBSERVER',
}

export enum CaseSection {
  OVERVIEW = 'OVERVIEW',
  INVESTIGATION = 'INVESTIGATION',
  PROSECUTION = 'PROSECUTION',
  VICTIM_SUPPORT = 'VICTIM_SUPPORT',
}

export type SectionAccess = 'none' | 'read' | 'write';

/** What a service account's key may be used for: queries, live connections, mutations. */
export enum ApiScope {
  READ = 'READ',
  SUBSCRIBE = 'SUBSCRIBE',
  WRITE = 'WRITE',
}

/** Who is acting: built once per request (or socket) from a verified token and the database. */
export interface Actor {
  memberId: string;
  sessionId: string;
  agencyId: string;
  agencyKind: AgencyKind;
  isPlatformAdmin: boolean;
  /** Holds the national programme role: national aggregates only (absent means no). */
  isNationalProgramme?: boolean;
  /** taskForceId → role, for the task forces this member belongs to. */
  roles: ReadonlyMap<string, TaskForceRole>;
  /** The client address, for the audit trail. */
  ip?: string | null;
  /** When the access token it came from expires (ms since the epoch): live connections end then. */
  tokenExpiresAt?: number;
  /**
   * Set only for a client app's service account (its API key): what the key may be used for. A person
   * (no scopes) may use every channel; what either may read is still decided by role and agency.
   */
  serviceAccount?: { id: string; scopes: ReadonlySet<ApiScope> };
}

/**
 * A copy of an actor with some fields replaced, every field written out in one order. A spread
 * (`{ ...actor, ip }`) gave every copy a hidden class of its own in V8, about 400 bytes of each live
 * connection; this way all actors share one. An absent optional field becomes `undefined`.
 */
export function actorWith(actor: Actor, changes: Partial<Actor> = {}): Actor {
  const pick = <K extends keyof Actor>(key: K): Actor[K] => (key in changes ? changes[key] : actor[key]) as Actor[K];
  return {
    memberId: pick('memberId'),
    sessionId: pick('sessionId'),
    agencyId: pick('agencyId'),
    agencyKind: pick('agencyKind'),
    isPlatformAdmin: pick('isPlatformAdmin'),
    isNationalProgramme: pick('isNationalProgramme'),
    roles: pick('roles'),
    ip: pick('ip'),
    tokenExpiresAt: pick('tokenExpiresAt'),
    serviceAccount: pick('serviceAccount'),
  };
}
