import { ArgsType, Field } from '@nestjs/graphql';
import { IsString, Length, MaxLength } from 'class-validator';

@ArgsType()
export class LoginArgs {
  @Field()
  @IsString()
  @Length(3, 254, { message: 'email must be between 3 and 254 characters.' })
  email: string;

  @Field()
  @IsString()
  @Length(1, 256, { message: 'password must be between 1 and 256 characters.' })
  password: string;
}

@ArgsType()
export class RefreshTokenArgs {
  @Field()
  @IsString()
  @MaxLength(256, { message: 'token is too long to be a refresh token.' })
  token: string;
}
