import type { NotificationKind } from '@hub/contracts';
import type { Translate } from '../../i18n';

/** A notification in words: its kind only (it carries no title, by design). */
export function describeKind(kind: NotificationKind, t: Translate): string {
  return t(`notify.kind.${kind}`);
}
