const WEIGHTS = [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9];

/** A Romanian CNP with a valid check digit, built from its first 12 digits. */
export function validCnp(first12 = '196052312345'): string {
  const sum = [...first12].reduce((total, digit, i) => total + Number(digit) * WEIGHTS[i], 0);
  const check = sum % 11 === 10 ? 1 : sum % 11;
  return `${first12}${check}`;
}

/** The same 12 digits with a wrong check digit: not a CNP. */
export function invalidCnp(first12 = '196052312345'): string {
  const valid = validCnp(first12);
  return `${first12}${(Number(valid[12]) + 1) % 10}`;
}
