import { ApiError } from '../../api/graphql';
import { session } from '../../api/session';

/** GET /meetings/:id/minutes.md needs the Bearer header, so fetch it and save the file from a blob. */
export async function downloadMinutes(meetingId: string): Promise<void> {
  const token = await session.freshToken();
  let response: Response;
  try {
    response = await fetch(`/meetings/${encodeURIComponent(meetingId)}/minutes.md`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  } catch {
    throw new ApiError('The hub cannot be reached.', 'NETWORK_ERROR');
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { message?: string; code?: string } | null;
    throw new ApiError(body?.message ?? `The hub answered ${response.status}.`, body?.code ?? 'INTERNAL_SERVER_ERROR');
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
