import { JwtService } from '@nestjs/jwt';
import { accessTokenKey } from './access-token.key';

const SECRET = 'test-secret-test-secret-test-secret-0123456789';
const options = { signOptions: { algorithm: 'HS256' as const } };
const verify = { algorithms: ['HS256' as const] };

describe('accessTokenKey', () => {
  const withKey = new JwtService({ secret: accessTokenKey(SECRET), ...options });
  // How the secret was configured before: the plain string.
  const withString = new JwtService({ secret: SECRET, ...options });

  it('verifies a token signed with the plain string secret (tokens issued before the change)', async () => {
    const token = await withString.signAsync({ sub: 'member-1', sid: 'session-1' }, { expiresIn: 60 });
    await expect(withKey.verifyAsync(token, verify)).resolves.toMatchObject({ sub: 'member-1', sid: 'session-1' });
  });

  it('signs tokens that the plain string secret verifies, byte for byte the same token', async () => {
    const payload = { sub: 'member-2', sid: 'session-2', iat: 1_800_000_000 };
    const token = await withKey.signAsync(payload);
    expect(token).toBe(await withString.signAsync(payload));
    await expect(withString.verifyAsync(token, verify)).resolves.toMatchObject({ sub: 'member-2' });
  });

  it('refuses a token signed with another secret', async () => {
    const other = new JwtService({ secret: accessTokenKey(`${SECRET}-other`), ...options });
    const token = await other.signAsync({ sub: 'member-3', sid: 'session-3' });
    await expect(withKey.verifyAsync(token, verify)).rejects.toThrow('invalid signature');
  });
});
