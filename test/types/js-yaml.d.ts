// js-yaml 4 ships no types of its own, and @types/js-yaml is not installed: the functions the tests use.
declare module 'js-yaml' {
  export function load(text: string, options?: { filename?: string }): unknown;
  export function dump(value: unknown, options?: { lineWidth?: number; noRefs?: boolean }): string;
}
