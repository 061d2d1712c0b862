import { ValidateIf } from 'class-validator';

/** Validation options for text that must hold more than spaces. */
export const NOT_BLANK = (field: string) => ({ message: `${field} must not be blank.` });

/**
 * For fields an update may leave out but not clear: `undefined` skips validation, while `null`
 * is validated (and refused) like any other value.
 */
export const OptionalNotNull = () => ValidateIf((_, value) => value !== undefined);
