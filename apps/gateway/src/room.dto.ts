import { IsInt, IsOptional, IsUUID, Min, ValidateIf } from 'class-validator';

/** `{ taskForceId }` or `{ meetingId }`, optionally `after: <cursor>` to catch up from. */
export class RoomTarget {
  @ValidateIf((o: RoomTarget) => o.meetingId === undefined)
  @IsUUID('all', { message: 'Send { taskForceId } or { meetingId }: an id as returned by the API.' })
  taskForceId?: string;

  @ValidateIf((o: RoomTarget) => o.taskForceId === undefined)
  @IsUUID('all', { message: 'meetingId must be an id as returned by the API.' })
  meetingId?: string;
}

export class JoinRoom extends RoomTarget {
  @IsOptional()
  @IsInt({ message: 'after must be the cursor of the last event you received (a whole number).' })
  @Min(0, { message: 'after cannot be negative.' })
  after?: number;
}
