import { AdvanceAgenda } from '../../api/operations';
import type { AgendaItem, Meeting } from '../../api/types';
import { ErrorMessage } from '../../app/components';
import { useMutation } from '../../app/hooks';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';
import { AgendaDecisions } from './AgendaDecisions';
import { AgendaNotes } from './AgendaNotes';

/** One agenda item: its heading, and its minutes and decisions (written while it is the current item). */
/** What each part of an agenda entry is drawn from. */
export interface AgendaEntryProps {
  meeting: Meeting;
  item: AgendaItem;
  /** The item being discussed now. */
  current: boolean;
  /** The meeting is running. */
  live: boolean;
  onChanged(): void;
}

export function AgendaEntry({ meeting, item, current, live, onChanged }: AgendaEntryProps) {
  const { t } = useI18n();
  const { isCoordinator } = useTaskForce();
  const advance = useMutation(AdvanceAgenda);
  return (
    <li
      className={`agenda-item${current ? ' current' : ''}`}
      aria-current={current ? 'step' : undefined}
      data-testid="agenda-item"
      data-current={current}
    >
      <div className="agenda-head">
        <h3>
          {current && <span className="now">{t('meeting.current')}: </span>}
          {item.title}
        </h3>
        <span className="muted">
          {item.presenter && t('meeting.presenter', { name: item.presenter.displayName })}
          {item.timeBoxMinutes && <> · {t('meeting.timeBox', { minutes: item.timeBoxMinutes })}</>}
          {item.caseSummary && <> · {item.caseSummary.caseCode}</>}
        </span>
        {isCoordinator && live && !current && (
          <button
            type="button"
            className="button-secondary small"
            disabled={advance.pending}
            onClick={() =>
              void advance.run({ meetingId: meeting.id, agendaItemId: item.id }).then((r) => r && onChanged())
            }
          >
            {t('meeting.makeCurrent')}
          </button>
        )}
      </div>
      <ErrorMessage error={advance.error} />
      <AgendaNotes meeting={meeting} item={item} current={current} live={live} onChanged={onChanged} />
      <AgendaDecisions meeting={meeting} item={item} current={current} live={live} onChanged={onChanged} />
    </li>
  );
}
