import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('has working defaults for every variable', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.PAYLINK_LOCK_SECONDS).toBe(900);
    expect(config.PAYLINK_ATTEMPT_TTL_SECONDS).toBe(3600);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.VISITPAY_DATA_DIR).toBe('./data');
    expect(config.VISITPAY_STRIPE_API_URL).toBe('https://api.stripe.com');
    expect(config.VISITPAY_YOOKASSA_API_URL).toBe('https://api.yookassa.ru');
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['PAYLINK_LOCK_SECONDS', '-5'],
    ['PAYLINK_ATTEMPT_TTL_SECONDS', '1.5'],
    ['LOG_LEVEL', 'loud'],
    ['SECRET_KEY', 'short'],
    ['PUBLIC_URL', 'not a url'],
    ['SMTP_URL', 'http://mail'],
    ['NODE_ENV', 'staging'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });

  it('S10 NODE_ENV=production requires PUBLIC_URL and SECRET_KEY, naming each missing one', () => {
    const KEY = 'c2VjcmV0LWtleS1mb3ItdGhlLXByb2R1Y3Rpb24tdGVzdA==';
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /PUBLIC_URL: required when NODE_ENV=production[\s\S]*SECRET_KEY: required when NODE_ENV=production/,
    );
    expect(() => loadConfig({ NODE_ENV: 'production', SECRET_KEY: KEY })).toThrow(
      /^Invalid configuration:\n {2}PUBLIC_URL: [^\n]*$/,
    );
    expect(() => loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://pay.example.com' })).toThrow(
      /^Invalid configuration:\n {2}SECRET_KEY: [^\n]*$/,
    );
    expect(() => loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://pay.example.com', SECRET_KEY: '' })).toThrow(
      /SECRET_KEY: required/,
    );
    expect(
      loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://pay.example.com', SECRET_KEY: KEY }).PUBLIC_URL,
    ).toBe('https://pay.example.com');
  });

  it('S10 outside production neither is required (the embedded setup generates its key)', () => {
    for (const NODE_ENV of ['development', 'test']) expect(loadConfig({ NODE_ENV }).SECRET_KEY).toBeUndefined();
  });

  it('S8 refuses a VISITPAY_METRICS_TOKEN shorter than 24 characters or with spaces', () => {
    expect(() => loadConfig({ VISITPAY_METRICS_TOKEN: 'short-token' })).toThrow(/VISITPAY_METRICS_TOKEN/);
    expect(() => loadConfig({ VISITPAY_METRICS_TOKEN: 'a token with some spaces in it' })).toThrow(
      /VISITPAY_METRICS_TOKEN/,
    );
    expect(loadConfig({ VISITPAY_METRICS_TOKEN: 'x'.repeat(24) }).VISITPAY_METRICS_TOKEN).toBe('x'.repeat(24));
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).PORT).toBe(3000);
  });
});
