import { IsInt, IsString, MaxLength } from 'class-validator';
import { hubValidationPipe } from './validation.pipe';

class Note {
  @IsString() @MaxLength(5) text: string;
}
class Decision extends Note {
  @IsString() reason: string;
}

const pipe = hubValidationPipe();
const asInput = (metatype: new () => object) => ({ type: 'body' as const, metatype, data: undefined });

/** The field and message of the BAD_USER_INPUT a value is refused with, or 'accepted'. */
async function verdict(value: object, metatype: new () => object): Promise<string> {
  try {
    await pipe.transform(value, asInput(metatype));
    return 'accepted';
  } catch (error) {
    const { extensions, message } = error as { extensions: { field: string }; message: string };
    return `${extensions.field}: ${message}`;
  }
}

describe('hubValidationPipe', () => {
  it('applies a class’s own rules and those it inherits, on every call', async () => {
    expect(await verdict({ text: 'short' }, Note)).toBe('accepted');
    expect(await verdict({ text: 'far too long' }, Note)).toMatch(/^text: /);
    // Remembered rules are per class: the subclass has the parent's and its own.
    expect(await verdict({ text: 'far too long', reason: 'x' }, Decision)).toMatch(/^text: /);
    expect(await verdict({ text: 'ok', reason: 7 }, Decision)).toMatch(/^reason: /);
    expect(await verdict({ text: 'ok', reason: 'x' }, Decision)).toBe('accepted');
    expect(await verdict({ text: 'far too long' }, Note)).toMatch(/^text: /);
  });

  it('forgets what it remembered when a rule is added later', async () => {
    class Late {
      @IsString() name: string;
      count: unknown;
    }
    expect(await verdict({ name: 'a', count: 'x' }, Late)).toBe('accepted');
    IsInt()(Late.prototype, 'count');
    expect(await verdict({ name: 'a', count: 'x' }, Late)).toMatch(/^count: /);
  });

  it('strips what no rule names', async () => {
    const value = (await pipe.transform({ text: 'ok', extra: 'dropped' }, asInput(Note))) as Record<string, unknown>;
    expect(value).toEqual({ text: 'ok' });
    expect(value).toBeInstanceOf(Note);
  });
});
