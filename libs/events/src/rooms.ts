/** Socket.IO room names are built here and nowhere else; a client never names a room itself. */
export const rooms = {
  member: (memberId: string) => `member:${memberId}`,
  taskForce: (taskForceId: string) => `task-force:${taskForceId}`,
  meeting: (meetingId: string) => `meeting:${meetingId}`,
};
