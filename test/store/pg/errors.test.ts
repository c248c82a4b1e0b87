// The mapping of pg and socket failures to the ports' errors (the table in src/store/pg/errors.ts),
// and that no text taken from the driver or the server carries the password out.
import { describe, expect, it } from 'vitest';
import { StoreBusy, StoreError } from '../../../src/app/ports/errors.js';
import { isPgBusy, pgStoreError, type PgErrorContext } from '../../../src/store/pg/errors.js';

const ctx: PgErrorContext = { where: 'postgres://lead:***@db.shop.lan/refunds', host: 'db.shop.lan', port: 5432, database: 'refunds', user: 'lead', secrets: ['Hunter2%21', 'Hunter2!'] };
const serverError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'ERROR' });
const socketError = (code: string) => Object.assign(new Error(`connect ${code} 10.0.0.5:5432`), { code, errno: -1, syscall: 'connect' });

describe('pgStoreError', () => {
  it.each([
    ['28P01', 'auth'],
    ['28000', 'auth'],
    ['3D000', 'no-database'],
    ['42501', 'forbidden'],
    ['25006', 'readonly'],
    ['53100', 'full'],
    ['58030', 'io'],
    ['XX001', 'io'],
    ['57P01', 'unreachable'],
    ['57P03', 'unreachable'],
    ['08006', 'unreachable'],
  ])('SQLSTATE %s → StoreError %s', (code, kind) => {
    const e = pgStoreError(serverError(code, 'the server says so'), ctx);
    expect(e).toBeInstanceOf(StoreError);
    expect((e as StoreError).kind).toBe(kind);
    expect((e as StoreError).details).toEqual({ url: ctx.where, code, reason: 'the server says so', host: 'db.shop.lan', port: 5432, database: 'refunds', user: 'lead' });
  });

  it.each(['40001', '40P01', '55P03', '53300'])('SQLSTATE %s → StoreBusy (try again), with the op', (code) => {
    const e = pgStoreError(serverError(code, 'could not obtain lock'), ctx, 'claim');
    expect(e).toBeInstanceOf(StoreBusy);
    expect((e as StoreBusy).op).toBe('claim');
    expect(isPgBusy(serverError(code, 'x'))).toBe(true);
  });

  it.each([
    ['ECONNREFUSED', 'connection refused (is the server running, on this port?)'],
    ['ENOENT', 'no server socket there (is the server running, is ?host= its socket folder?)'],
    ['EHOSTUNREACH', 'host unreachable'],
    ['ENOTFOUND', 'unknown host name'],
    ['ETIMEDOUT', 'no answer (timed out)'],
  ])('socket %s → unreachable, one line saying why', (code, why) => {
    const e = pgStoreError(socketError(code), ctx) as StoreError;
    expect(e.kind).toBe('unreachable');
    expect(e.message).toBe(`cannot reach PostgreSQL at db.shop.lan:5432: ${why} (postgres://lead:***@db.shop.lan/refunds)`);
  });

  it('reads the code of an AggregateError (localhost resolving to ::1 and 127.0.0.1)', () => {
    const agg = Object.assign(new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNREFUSED')], ''), { code: 'ECONNREFUSED' });
    expect((pgStoreError(agg, { ...ctx, host: '::1' }) as StoreError).message).toBe(
      'cannot reach PostgreSQL at [::1]:5432: connection refused (is the server running, on this port?) (postgres://lead:***@db.shop.lan/refunds)',
    );
  });

  it('TLS refusals and certificate failures are unreachable, with the TLS reason', () => {
    expect((pgStoreError(new Error('The server does not support SSL connections'), ctx) as StoreError).details.reason).toBe('the server does not offer TLS (sslmode asks for it)');
    const cert = pgStoreError(Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), ctx) as StoreError;
    expect([cert.kind, cert.details.reason]).toEqual(['unreachable', "TLS: the server's certificate or handshake was refused (DEPTH_ZERO_SELF_SIGNED_CERT)"]);
  });

  it('blanks the password and masks URLs in any server or driver text, and keeps one line', () => {
    const leaky = serverError('42501', 'permission denied: Hunter2! tried via postgres://lead:Hunter2%21@db.shop.lan/refunds\nDETAIL: more');
    const e = pgStoreError(leaky, ctx) as StoreError;
    expect(e.message).toBe('user "lead" lacks a privilege on postgres://lead:***@db.shop.lan/refunds: permission denied: *** tried via postgres://lead:***@db.shop.lan/refunds');
    expect(JSON.stringify(e.details)).not.toMatch(/Hunter2/);
    const other = pgStoreError(new TypeError('bad Hunter2! value'), ctx);
    // not a store failure: the same error comes back, for the bug report
    expect(other).toBeInstanceOf(TypeError);
    expect(pgStoreError('Hunter2! as a string', ctx).message).toBe('*** as a string');
  });

  it('leaves errors the app must see as bugs unchanged, and passes ports errors through', () => {
    const unique = serverError('23505', 'duplicate key value violates unique constraint "refunds_pkey"');
    expect(pgStoreError(unique, ctx)).toBe(unique);
    const busy = new StoreBusy('x');
    expect(pgStoreError(busy, ctx)).toBe(busy);
    expect(isPgBusy(unique)).toBe(false);
  });
});
