import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';

/** argon2id with OWASP's minimum (19 MiB, 2 passes), which keeps a login near 30 ms on these machines. */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

@Injectable()
export class PasswordHasher {
  private dummy?: Promise<string>;

  hash(password: string): Promise<string> {
    return argon2.hash(password, OPTIONS);
  }

  /**
   * With no stored hash, verify against a throwaway one anyway: a login for an unknown email
   * costs the same time as a wrong password, so the timing does not tell which emails exist.
   */
  async verify(storedHash: string | undefined, password: string): Promise<boolean> {
    this.dummy ??= this.hash(`unused-${Math.random()}`);
    const hash = storedHash ?? (await this.dummy);
    try {
      return (await argon2.verify(hash, password)) && storedHash !== undefined;
    } catch {
      return false;
    }
  }
}
