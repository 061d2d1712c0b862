import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('AuthPayload')
export class AuthPayloadModel {
  @Field({ description: 'Short-lived JWT; send as "Authorization: Bearer <token>".' })
  accessToken: string;

  @Field({ description: 'Single use: exchange it with refreshToken for a new pair.' })
  refreshToken: string;

  @Field({ description: 'When the access token expires.' })
  expiresAt: Date;
}
