import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType()
export class PageInfo {
  @Field(() => String, { nullable: true, description: 'Pass as "after" for the next page.' }) endCursor: string | null;
  @Field() hasNextPage: boolean;
}
