import { useEffect, useMemo } from 'react';
import { Link, Navigate, NavLink, Route, Routes, useParams } from 'react-router-dom';
import { MeQuery, TaskForceQuery } from '../api/operations';
import { session } from '../api/session';
import type { Me } from '../api/types';
import { SignIn } from '../features/auth/SignIn';
import { TaskForcePicker } from '../features/auth/TaskForcePicker';
import { ActionItemDetailPage } from '../features/action-items/ActionItemDetail';
import { ActionItemsPage } from '../features/action-items/ActionItems';
import { CaseSummariesPage } from '../features/case-summaries/CaseSummaries';
import { CaseSummaryPage } from '../features/case-summaries/CaseSummaryDetail';
import { Dashboard } from '../features/dashboard/Dashboard';
import { NewActionItemPage } from '../features/follow-up/ActionItemForm';
import { SinceLastMeetingPage } from '../features/follow-up/SinceLastMeeting';
import { MembersPage } from '../features/members/Members';
import { PlanMeetingPage } from '../features/planning/PlanMeeting';
import { MeetingPage } from '../features/meetings/Meeting';
import { MeetingsPage } from '../features/meetings/Meetings';
import { NationalReportPage } from '../features/reports/NationalReport';
import { ReportsPage } from '../features/reports/Reports';
import { InboxPage } from '../features/notifications/Inbox';
import { PreferencesPage } from '../features/notifications/Preferences';
import { UnreadBadge } from '../features/notifications/UnreadBadge';
import { ServiceAccountsPage } from '../features/service-accounts/ServiceAccounts';
import { ReferralsPage } from '../features/referrals/Referrals';
import { useI18n } from '../i18n';
import { LanguageSelector } from '../i18n/LanguageSelector';
import { Async, ConnectionStatus } from './components';
import { useQuery, useSignedIn } from './hooks';
import { LiveProvider } from './live';
import { NotificationsProvider } from './notifications';
import { TaskForceContext, type TaskForceScope } from './task-force';

const LAST_TASK_FORCE = 'tfh.taskForce';

export function App() {
  const signedIn = useSignedIn();
  return (
    <>
      <a className="skip-link" href="#main">
        {useI18n().t('app.skip')}
      </a>
      {signedIn ? <SignedIn /> : <SignIn />}
    </>
  );
}

function SignedIn() {
  const me = useQuery(MeQuery, {});
  return (
    <Async state={me}>
      {({ me }) => (
        <NotificationsProvider>
          <Routes>
            <Route path="/" element={<Home me={me} />} />
            <Route path="/t/:taskForceId/*" element={<TaskForceShell me={me} />} />
            <Route path="/national" element={<Page me={me}>{<NationalReportPage />}</Page>} />
            <Route
              path="/inbox"
              element={
                <Page me={me}>
                  <InboxPage />
                </Page>
              }
            />
            <Route
              path="/notification-preferences"
              element={
                <Page me={me}>
                  <PreferencesPage />
                </Page>
              }
            />
            <Route path="*" element={<Navigate to="/" replace />} />
          </Routes>
        </NotificationsProvider>
      )}
    </Async>
  );
}

function Home({ me }: { me: Me }) {
  const last = localStorage.getItem(LAST_TASK_FORCE);
  const only = me.memberships.length === 1 ? me.memberships[0].taskForce.id : null;
  const remembered = me.memberships.find((m) => m.taskForce.id === last)?.taskForce.id;
  if (only) return <Navigate to={`/t/${only}`} replace />;
  if (me.isNationalProgramme && !me.memberships.length) return <Navigate to="/national" replace />;
  return (
    <Page me={me}>
      <TaskForcePicker me={me} remembered={remembered} />
    </Page>
  );
}

function TaskForceShell({ me }: { me: Me }) {
  const { taskForceId = '' } = useParams();
  useEffect(() => localStorage.setItem(LAST_TASK_FORCE, taskForceId), [taskForceId]);
  // Read once per page load, above the live connection; the members page follows membership events itself.
  const taskForce = useQuery(TaskForceQuery, { id: taskForceId });
  return (
    <LiveProvider taskForceId={taskForceId}>
      <Async state={taskForce}>{({ taskForce }) => <ScopedShell me={me} taskForce={taskForce} />}</Async>
    </LiveProvider>
  );
}

function ScopedShell({ me, taskForce }: { me: Me; taskForce: TaskForceScope['taskForce'] }) {
  const scope = useMemo<TaskForceScope>(() => {
    const names = new Map(taskForce.members.map((m) => [m.member.id, m.member.displayName]));
    return {
      me,
      taskForce,
      role: taskForce.myRole,
      isCoordinator: taskForce.myRole === 'COORDINATOR',
      canWrite: taskForce.myRole === 'COORDINATOR' || taskForce.myRole === 'MEMBER',
      path: (inner = '') => `/t/${taskForce.id}${inner}`,
      memberName: (id) => (id ? (names.get(id) ?? '—') : '—'),
    };
  }, [me, taskForce]);
  return (
    <TaskForceContext.Provider value={scope}>
      <Page me={me} scope={scope}>
        <Routes>
          <Route index element={<Dashboard />} />
          <Route path="meetings" element={<MeetingsPage />} />
          <Route path="meetings/new" element={<PlanMeetingPage />} />
          <Route path="meetings/:meetingId" element={<MeetingPage />} />
          <Route path="actions" element={<ActionItemsPage />} />
          <Route path="actions/new" element={<NewActionItemPage />} />
          <Route path="actions/:actionItemId" element={<ActionItemDetailPage />} />
          <Route path="since" element={<SinceLastMeetingPage />} />
          <Route path="members" element={<MembersPage />} />
          <Route path="cases" element={<CaseSummariesPage />} />
          <Route path="cases/:caseSummaryId" element={<CaseSummaryPage />} />
          <Route path="reports" element={<ReportsPage />} />
          {scope.isCoordinator && <Route path="clients" element={<ServiceAccountsPage />} />}
          <Route path="referrals" element={<ReferralsPage />} />
          <Route path="*" element={<Navigate to={scope.path()} replace />} />
        </Routes>
      </Page>
    </TaskForceContext.Provider>
  );
}

function Page({ me, scope, children }: { me: Me; scope?: TaskForceScope; children: React.ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="layout">
      <header className="topbar">
        <div className="topbar-row">
          <Link to={scope ? scope.path() : '/'} className="brand">
            {t('app.name')}
            {scope && <span className="brand-tf">{scope.taskForce.code}</span>}
          </Link>
          {scope && <ConnectionStatus />}
          <div className="topbar-tools">
            <UnreadBadge />
            <LanguageSelector />
            <span className="who" title={me.email}>
              {me.displayName}
            </span>
            <button type="button" className="button-secondary" onClick={() => void session.signOut()}>
              {t('auth.signOut')}
            </button>
          </div>
        </div>
        {scope && (
          <nav aria-label={t('nav.main')} className="mainnav">
            <NavLink end to={scope.path()}>
              {t('nav.dashboard')}
            </NavLink>
            <NavLink to={scope.path('/meetings')}>{t('nav.meetings')}</NavLink>
            <NavLink to={scope.path('/actions')}>{t('nav.actions')}</NavLink>
            <NavLink to={scope.path('/cases')}>{t('nav.cases')}</NavLink>
            <NavLink to={scope.path('/reports')}>{t('nav.reports')}</NavLink>
            {scope.isCoordinator && <NavLink to={scope.path('/clients')}>{t('nav.clients')}</NavLink>}
            <NavLink to={scope.path('/referrals')}>{t('nav.referrals')}</NavLink>
            <NavLink to={scope.path('/since')}>{t('nav.since')}</NavLink>
            <NavLink to={scope.path('/members')}>{t('nav.members')}</NavLink>
            {me.memberships.length > 1 && (
              <Link to="/" className="switch">
                {t('nav.switchTaskForce')}
              </Link>
            )}
          </nav>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
