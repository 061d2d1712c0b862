/**
 * The signed-in session: tokens kept in localStorage (so every tab of the hub shares one), refreshed
 * a minute before the access token expires. A refresh token is single use and presenting a spent one
 * ends the session, so only one refresh runs at a time across tabs (a Web Lock), and a tab that
 * finds the tokens already rotated by another simply adopts them.
 */
import { ApiError, NETWORK_ERROR, type Operation, post } from './graphql';
import { Login, Logout, RefreshToken } from './operations';
import type { AuthPayload } from './types';

const KEY = 'tfh.session';
const REFRESH_AHEAD_MS = 60_000;

type Listener = (tokens: AuthPayload | null) => void;

function read(): AuthPayload | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as AuthPayload) : null;
  } catch {
    return null;
  }
}

function expiresIn(tokens: AuthPayload): number {
  return Date.parse(tokens.expiresAt) - Date.now();
}

class Session {
  private tokens: AuthPayload | null = read();
  private listeners = new Set<Listener>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<AuthPayload | null> | null = null;

  constructor() {
    window.addEventListener('storage', (event) => {
      if (event.key !== KEY) return;
      // Another tab signed in, refreshed or signed out.
      this.set(read(), false);
    });
    this.schedule();
  }

  get accessToken(): string | null {
    return this.tokens?.accessToken ?? null;
  }

  get signedIn(): boolean {
    return this.tokens !== null;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async signIn(email: string, password: string): Promise<void> {
    const { login } = await post(Login, { email, password }, null);
    this.set(login, true);
  }

  async signOut(): Promise<void> {
    const token = this.accessToken;
    this.set(null, true);
    if (token) await post(Logout, {}, token).catch(() => undefined);
  }

  /** A token that is good for at least a little longer: refreshes first when it is about to expire. */
  async freshToken(): Promise<string | null> {
    if (!this.tokens) return null;
    if (expiresIn(this.tokens) > 5_000) return this.tokens.accessToken;
    return (await this.refresh())?.accessToken ?? null;
  }

  /** Rotates the refresh token once, whichever tab or request asks; everyone shares the result. */
  refresh(): Promise<AuthPayload | null> {
    if (!this.refreshing) {
      const held = this.tokens;
      const run = async (): Promise<AuthPayload | null> => {
        const stored = read();
        if (!stored) {
          this.set(null, false);
          return null;
        }
        // Another tab rotated while we waited for the lock: use its tokens, never the spent one.
        if (held && stored.refreshToken !== held.refreshToken && expiresIn(stored) > REFRESH_AHEAD_MS) {
          this.set(stored, false);
          return stored;
        }
        try {
          const { refreshToken } = await post(RefreshToken, { token: stored.refreshToken }, null);
          this.set(refreshToken, true);
          return refreshToken;
        } catch (error) {
          // Offline: keep the tokens and try again later. Refused: the session is over.
          if (
            error instanceof ApiError &&
            (error.code === NETWORK_ERROR || error.code === 'SERVICE_UNAVAILABLE' || error.code === 'RATE_LIMITED')
          ) {
            this.schedule(15_000);
            return null;
          }
          this.set(null, true);
          return null;
        }
      };
      const locks = (navigator as Navigator & { locks?: LockManager }).locks;
      const attempt: Promise<AuthPayload | null> = locks
        ? locks.request('tfh.refresh', () => run()).then((result) => result)
        : run();
      this.refreshing = attempt.finally(() => (this.refreshing = null));
    }
    return this.refreshing;
  }

  /**
   * Sends an operation with the current token; if the server no longer accepts it, refreshes once
   * and tries again. A refused refresh signs out (every screen then shows the sign-in page).
   */
  async request<TData, TVariables>(op: Operation<TData, TVariables>, variables: TVariables): Promise<TData> {
    const token = await this.freshToken();
    try {
      return await post(op, variables, token);
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'UNAUTHENTICATED' || !token) throw error;
      const renewed = await this.refresh();
      if (!renewed) throw error;
      return post(op, variables, renewed.accessToken);
    }
  }

  private set(tokens: AuthPayload | null, persist: boolean): void {
    this.tokens = tokens;
    if (persist) {
      if (tokens) localStorage.setItem(KEY, JSON.stringify(tokens));
      else localStorage.removeItem(KEY);
    }
    this.schedule();
    for (const listener of this.listeners) listener(tokens);
  }

  private schedule(delay?: number): void {
    clearTimeout(this.timer);
    if (!this.tokens) return;
    const wait = delay ?? Math.max(1_000, expiresIn(this.tokens) - REFRESH_AHEAD_MS);
    this.timer = setTimeout(() => void this.refresh(), Math.min(wait, 2 ** 31 - 1));
  }
}

export const session = new Session();
