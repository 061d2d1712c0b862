/** Validation options for text that must hold more than spaces. */
export const NOT_BLANK = (field: string) => ({ message: `${field} must not be blank.` });
