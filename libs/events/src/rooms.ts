/** Socket.IO room names are built here and nowhere else; a client never names a room itself. */
export const rooms = {
  /** Everyone of one audience (one agency, see `audienceKey`) in a task force: one stream listener per such room. */
  taskForce: (taskForceId: string, audience: string) => `task-force:${taskForceId}:${audience}`,
  meeting: (meetingId: string, audience: string) => `meeting:${meetingId}:${audience}`,
  /** Everyone in a task force's or a meeting's live room, whatever their audience: for presence. */
  taskForcePresence: (taskForceId: string) => `presence:task-force:${taskForceId}`,
  meetingPresence: (meetingId: string) => `presence:meeting:${meetingId}`,
};
