import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'hub:isPublic';

/** Everything is denied by default; this marks the few operations open without a token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
