import type { Meeting } from '../../api/types';
import { useI18n } from '../../i18n';
import { AgendaEntry } from './AgendaEntry';

/** The agenda in order; the item being discussed is marked current. */
export function AgendaList({ meeting, onChanged }: { meeting: Meeting; onChanged(): void }) {
  const { t } = useI18n();
  const live = meeting.status === 'LIVE';
  const currentId = meeting.currentAgendaItem?.id ?? null;
  return (
    <section className="card agenda" aria-labelledby="agenda-title">
      <h2 id="agenda-title">{t('meeting.agenda')}</h2>
      <ol className="agenda-list">
        {meeting.agenda.map((item) => (
          <AgendaEntry
            key={item.id}
            meeting={meeting}
            item={item}
            current={item.id === currentId}
            live={live}
            onChanged={onChanged}
          />
        ))}
      </ol>
    </section>
  );
}
