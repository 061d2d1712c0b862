import { useId, useState } from 'react';
import { useI18n } from '../../i18n';

type Kind = 'MONTH' | 'QUARTER' | 'YEAR' | 'CUSTOM';

function kindOf(period: string): Kind {
  if (/^\d{4}-Q[1-4]$/.test(period)) return 'QUARTER';
  if (/^\d{4}-\d{2}$/.test(period)) return 'MONTH';
  if (/^\d{4}$/.test(period)) return 'YEAR';
  return 'CUSTOM';
}

/** Month, quarter, year or two days; the server checks the value and says what is wrong. */
export function PeriodPicker({
  value,
  onChange,
  quartersOnly = false,
}: {
  value: string;
  onChange: (period: string) => void;
  quartersOnly?: boolean;
}) {
  const { t } = useI18n();
  const id = useId();
  const [kind, setKind] = useState<Kind>(kindOf(value));
  const [text, setText] = useState(value);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const year = value.slice(0, 4);
  const defaults: Record<Kind, string> = {
    MONTH: `${year}-01`,
    QUARTER: `${year}-Q1`,
    YEAR: year,
    CUSTOM: '',
  };
  return (
    <form
      className="report-period"
      onSubmit={(e) => {
        e.preventDefault();
        onChange(kind === 'CUSTOM' ? `${from}..${to}` : text.trim());
      }}
    >
      {!quartersOnly && (
        <label htmlFor={`${id}-kind`}>
          {t('report.periodKind')}
          <select
            id={`${id}-kind`}
            value={kind}
            onChange={(e) => {
              const next = e.target.value as Kind;
              setKind(next);
              setText(defaults[next]);
            }}
          >
            {(['MONTH', 'QUARTER', 'YEAR', 'CUSTOM'] as const).map((k) => (
              <option key={k} value={k}>
                {t(`report.kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
      )}
      {kind === 'CUSTOM' ? (
        <>
          <label htmlFor={`${id}-from`}>
            {t('report.customFrom')}
            <input id={`${id}-from`} type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
          </label>
          <label htmlFor={`${id}-to`}>
            {t('report.customTo')}
            <input id={`${id}-to`} type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
          </label>
        </>
      ) : (
        <label htmlFor={`${id}-value`}>
          {quartersOnly ? t('report.quarter') : t('report.periodValue')}
          <input
            id={`${id}-value`}
            data-testid="period"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={defaults[kind]}
            size={10}
          />
        </label>
      )}
      <button type="submit">{t('report.show')}</button>
    </form>
  );
}
