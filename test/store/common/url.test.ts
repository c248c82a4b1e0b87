// Which backend a --db / REFUNDS_DB target names, and that a PostgreSQL URL's password is never shown,
// whatever form the URL takes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPostgresUrl, maskUrl, maskUrlsIn, storeTargetOf } from '../../../src/store/common/url.js';

describe('storeTargetOf', () => {
  it('takes postgres:// and postgresql:// URLs (any case, surrounding blanks) for PostgreSQL', () => {
    expect(storeTargetOf('postgres://agent@db.shop.lan/refunds')).toEqual({ backend: 'postgres', url: 'postgres://agent@db.shop.lan/refunds' });
    expect(storeTargetOf('postgresql:///refunds?host=/run/pg')).toEqual({ backend: 'postgres', url: 'postgresql:///refunds?host=/run/pg' });
    expect(storeTargetOf('  POSTGRESQL://x/y ')).toEqual({ backend: 'postgres', url: 'POSTGRESQL://x/y' });
    expect(isPostgresUrl('postgres://h/d')).toBe(true);
    expect(isPostgresUrl('postgres:/h/d')).toBe(false);
  });

  it('takes everything else for a SQLite file path, as written', () => {
    for (const p of ['refunds.sqlite', '/home/kefu/.local/share/refunds/refunds.sqlite', './postgres/refunds.sqlite', 'postgres', 'C://shop/refunds.sqlite', 'C:\\shop\\r.sqlite', '退款.sqlite'])
      expect(storeTargetOf(p)).toEqual({ backend: 'sqlite', path: p });
  });

  it('refuses URLs of other schemes instead of creating a file named after them', () => {
    expect(storeTargetOf('mysql://root@localhost/refunds')).toEqual({ backend: 'unsupported', scheme: 'mysql' });
    expect(storeTargetOf('SQLite://refunds.sqlite')).toEqual({ backend: 'unsupported', scheme: 'sqlite' });
    expect(storeTargetOf('postgre://h/d')).toEqual({ backend: 'unsupported', scheme: 'postgre' });
  });
});

describe('maskUrl', () => {
  const cases: [string, string][] = [
    ['postgres://agent:s3cret@db.shop.lan:5433/refunds', 'postgres://agent:***@db.shop.lan:5433/refunds'],
    ['postgresql://agent:s3cret@/refunds?host=/run/postgresql', 'postgresql://agent:***@/refunds?host=/run/postgresql'],
    // percent-encoded, unencoded @ / ? # : in the password
    ['postgres://agent:p%40ss%2Fw0rd@db/refunds', 'postgres://agent:***@db/refunds'],
    ['postgres://agent:p@ss@db/refunds', 'postgres://agent:***@db/refunds'],
    ['postgres://agent:a/b?c#d:e@db/refunds?sslmode=require', 'postgres://agent:***@db/refunds?sslmode=require'],
    ['postgres://:onlypw@db/refunds', 'postgres://:***@db/refunds'],
    ['postgres://agent:@db/refunds', 'postgres://agent:***@db/refunds'],
    // as a query parameter (libpq's password= and sslpassword=), any case, first or later
    ['postgres://agent@db/refunds?password=s3cret&sslmode=verify-full', 'postgres://agent@db/refunds?password=***&sslmode=verify-full'],
    ['postgres://db/refunds?sslmode=require&PASSWORD=s3cret', 'postgres://db/refunds?sslmode=require&PASSWORD=***'],
    ['postgres://db/refunds?sslpassword=keypw&password=pw#frag', 'postgres://db/refunds?sslpassword=***&password=***#frag'],
    ['postgres://agent:one@db/refunds?password=two', 'postgres://agent:***@db/refunds?password=***'],
    // nothing to hide: unchanged
    ['postgres://agent@db.shop.lan:5432/refunds', 'postgres://agent@db.shop.lan:5432/refunds'],
    ['postgresql://postgres@/refunds_test?host=/tmp/refunds-pg.AbC123', 'postgresql://postgres@/refunds_test?host=/tmp/refunds-pg.AbC123'],
    ['postgres://db.shop.lan:5432/refunds', 'postgres://db.shop.lan:5432/refunds'],
    ['/home/kefu/refunds.sqlite', '/home/kefu/refunds.sqlite'],
  ];
  it.each(cases)('%s → %s', (url, masked) => {
    expect(maskUrl(url)).toBe(masked);
  });

  it('never lets any form of a random password through (raw, percent-encoded, in the user part or the query)', () => {
    const pwChar = fc.constantFrom(...'abcXYZ019@/?#:%&=+!~ 中'.split(''));
    fc.assert(
      fc.property(fc.array(pwChar, { minLength: 1, maxLength: 16 }).map((cs) => `Qz${cs.join('')}`), fc.boolean(), fc.boolean(), (pw, encode, inQuery) => {
        const written = encode ? encodeURIComponent(pw) : pw;
        const url = inQuery ? `postgresql://agent@db.shop.lan/refunds?sslmode=require&password=${encodeURIComponent(pw)}` : `postgresql://agent:${written}@db.shop.lan/refunds`;
        const masked = maskUrl(url);
        for (const form of [pw, encodeURIComponent(pw), encodeURI(pw)]) expect(masked).not.toContain(form);
        expect(masked).toContain('***');
      }),
      { numRuns: 500 },
    );
  });

  it('masks every URL quoted inside a longer text', () => {
    expect(maskUrlsIn('cannot reach postgres://a:pw1@h1/d (copy to "postgresql://b:pw2@h2/d?password=pw3")')).toBe(
      'cannot reach postgres://a:***@h1/d (copy to "postgresql://b:***@h2/d?password=***")',
    );
    expect(maskUrlsIn('no URL here: refunds.sqlite')).toBe('no URL here: refunds.sqlite');
  });
});
