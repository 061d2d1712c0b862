import type { Translate } from '../../i18n';
import { en, type MessageKey } from '../../i18n/messages';

const has = (key: string): key is MessageKey => key in en;

/** The label of a breakdown key: an agency kind, a stage, a FROM→TO transition, ALL, UNASSIGNED or TOTAL. */
export function keyLabel(t: Translate, key: string): string {
  if (key.includes('→'))
    return key
      .split('→')
      .map((part) => keyLabel(t, part))
      .join(' → ');
  for (const candidate of [`report.${key}`, `case.stage.${key}`, `agencyKind.${key}`])
    if (has(candidate)) return t(candidate);
  return key;
}

export function indicatorName(t: Translate, id: string): string {
  const key = `indicator.${id}`;
  return has(key) ? t(key) : id;
}
