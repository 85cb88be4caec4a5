/** Small typed readers for the configuration's values, each failing with the key's path. */

/** A configuration value that is wrong; the message names the key, e.g. `servers[0].port: …`. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type Json = Record<string, unknown>;

export function fail(path: string, message: string): never {
  throw new ConfigError(`${path}: ${message}`);
}

export function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

export function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(path, `expected an object, got ${show(value)}`);
  }
  return value as Json;
}

export function only(o: Json, path: string, known: readonly string[]): void {
  for (const key of Object.keys(o)) {
    if (!known.includes(key)) fail(path ? `${path}.${key}` : key, `unknown key (known: ${known.join(', ')})`);
  }
}

export function optionalArray(value: unknown, path: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(path, `expected an array, got ${show(value)}`);
  return value;
}

export function nonEmpty<T>(list: T[], path: string): T[] {
  if (list.length === 0) fail(path, 'must not be empty (leave the key out for the default)');
  return list;
}

export function nonEmptyString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    fail(path, `expected a non-empty string, got ${show(value)}`);
  return value;
}

export function optionalBoolean(value: unknown, path: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(path, `expected true or false, got ${show(value)}`);
  return value;
}

export function integer(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(path, `expected an integer from ${min} to ${max}, got ${show(value)}`);
  }
  return value;
}
