import { VerifiedTokens } from './verified-tokens';

describe('VerifiedTokens', () => {
  let now = 1_000_000_000_000;
  const clock = () => now;
  const claims = (sid: string, expInSeconds: number) => ({ sub: 'member-1', sid, exp: now / 1000 + expInSeconds });

  it('gives back the claims of a token checked before, until the token expires, then forgets it', () => {
    const tokens = new VerifiedTokens(10, clock);
    const c = claims('s-1', 60);
    tokens.add('token-1', c);
    expect(tokens.get('token-1')).toBe(c);
    expect(tokens.get('token-1x')).toBeUndefined();
    expect(tokens.get('token-')).toBeUndefined();
    now += 59_999;
    expect(tokens.get('token-1')).toBe(c);
    now += 1;
    expect(tokens.get('token-1')).toBeUndefined();
    expect(tokens.size).toBe(0);
  });

  it('keeps at most max tokens, dropping the least recently used', () => {
    const tokens = new VerifiedTokens(2, clock);
    tokens.add('a', claims('s-a', 60));
    tokens.add('b', claims('s-b', 60));
    expect(tokens.get('a')?.sid).toBe('s-a');
    tokens.add('c', claims('s-c', 60));
    expect(tokens.size).toBe(2);
    expect(tokens.get('b')).toBeUndefined();
    expect(tokens.get('a')?.sid).toBe('s-a');
    expect(tokens.get('c')?.sid).toBe('s-c');
  });

  it('keeps nothing when max is 0', () => {
    const tokens = new VerifiedTokens(0, clock);
    tokens.add('a', claims('s-a', 60));
    expect(tokens.get('a')).toBeUndefined();
  });
});
