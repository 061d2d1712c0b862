import { ApiError } from '../../api/graphql';
import { session } from '../../api/session';
import type { Locale } from '../../i18n';

/**
 * GET /meetings/:id/minutes.md (or .pdf) needs the Bearer header, so fetch it and save the file from
 * a blob. The minutes come in the reader's language.
 */
export async function downloadMinutes(
  meetingId: string,
  language: Locale = 'ro',
  format: 'md' | 'pdf' = 'md',
): Promise<void> {
  const token = await session.freshToken();
  let response: Response;
  try {
    response = await fetch(`/meetings/${encodeURIComponent(meetingId)}/minutes.${format}?lang=${language}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  } catch {
    throw new ApiError('The hub cannot be reached.', 'NETWORK_ERROR');
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as
      ({ message?: string; code?: string } & Record<string, unknown>) | null;
    throw new ApiError(
      body?.message ?? `The hub answered ${response.status}.`,
      body?.code ?? 'INTERNAL_SERVER_ERROR',
      body ?? {},
    );
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const filename = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? `minutes-${meetingId}.md`;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
