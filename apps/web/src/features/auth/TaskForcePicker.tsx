import { Link } from 'react-router-dom';
import type { Me } from '../../api/types';
import { useI18n } from '../../i18n';

export function TaskForcePicker({ me, remembered }: { me: Me; remembered?: string }) {
  const { t } = useI18n();
  return (
    <section className="card narrow">
      <h1>{t('tf.pick')}</h1>
      {me.memberships.length === 0 ? (
        <p>{t('tf.none')}</p>
      ) : (
        <ul className="picker">
          {me.memberships.map((m) => (
            <li key={m.id}>
              <Link to={`/t/${m.taskForce.id}`} className={m.taskForce.id === remembered ? 'remembered' : undefined}>
                <strong>{m.taskForce.code}</strong> {m.taskForce.name}
                <span className="muted"> · {t(`tf.role.${m.role}`)}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
