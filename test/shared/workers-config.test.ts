import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig, MAX_WORKERS } from '../../src/config.js';

describe('O3 VISITPAY_WORKERS', () => {
  it('O3 is 1 by default (one process, as before), a given count, or auto: one per core up to MAX_WORKERS', () => {
    expect(loadConfig({}).VISITPAY_WORKERS).toBe(1);
    expect(loadConfig({ VISITPAY_WORKERS: '3' }).VISITPAY_WORKERS).toBe(3);
    expect(loadConfig({ VISITPAY_WORKERS: String(MAX_WORKERS) }).VISITPAY_WORKERS).toBe(MAX_WORKERS);
    expect(loadConfig({ VISITPAY_WORKERS: 'auto' }).VISITPAY_WORKERS).toBe(
      Math.min(availableParallelism(), MAX_WORKERS),
    );
  });

  it('O3 refuses 0, words, fractions, signs and more than MAX_WORKERS, naming the variable', () => {
    for (const value of ['0', 'abc', '1.5', '-2', '+2', ' 2', 'AUTO', String(MAX_WORKERS + 1), '1e3']) {
      expect(() => loadConfig({ VISITPAY_WORKERS: value }), value).toThrow(
        /^Invalid configuration:\n {2}VISITPAY_WORKERS: must be [^\n]*$/,
      );
    }
  });
});
