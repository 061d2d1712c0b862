import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { actorOf, requestOf } from './context';

/** The authenticated actor that the global guard put on the request. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext) =>
  actorOf(requestOf(context)),
);
