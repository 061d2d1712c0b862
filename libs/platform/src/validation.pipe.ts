import { ValidationError, ValidationPipe } from '@nestjs/common';
import { badInput } from '@hub/core';

function firstProblem(errors: ValidationError[], prefix = ''): { field: string; message: string } | undefined {
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const message = error.constraints && Object.values(error.constraints)[0];
    if (message) return { field, message };
    const nested = firstProblem(error.children ?? [], field);
    if (nested) return nested;
  }
  return undefined;
}

/** class-validator on every input; the first problem becomes BAD_USER_INPUT naming the field. */
export const hubValidationPipe = () =>
  new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidUnknownValues: false,
    exceptionFactory: (errors) => {
      const problem = firstProblem(errors) ?? { field: 'input', message: 'The input is not valid.' };
      return badInput(problem.field, problem.message);
    },
  });
