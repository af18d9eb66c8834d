// How prodready reads OpenSSL cipher strings (nginx/weak-ciphers, haproxy/weak-ciphers): the families a
// string leaves enabled after OpenSSL's left-to-right evaluation of `!`, `-`, `+` and `A+B` items.

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { weakCipherFamilies } from '../../server/src/core/ciphers';

function enabled(cipherString: string): string[] {
  return [...weakCipherFamilies(cipherString).enabled.keys()].sort();
}

describe('cipher strings', () => {
  it('finds families named by suite, in OpenSSL and IANA spelling', () => {
    assert.deepEqual(enabled('ECDHE-RSA-AES128-GCM-SHA256:RC4-SHA'), ['RC4']);
    assert.deepEqual(enabled('DES-CBC3-SHA'), ['3DES']);
    assert.deepEqual(enabled('EDH-RSA-DES-CBC-SHA'), ['DES']);
    assert.deepEqual(enabled('EXP-RC4-MD5'), ['EXPORT', 'MD5', 'RC4']);
    assert.deepEqual(enabled('NULL-SHA256'), ['NULL']);
    assert.deepEqual(enabled('ADH-AES256-GCM-SHA384:AECDH-AES128-SHA'), ['ADH', 'AECDH']);
    assert.deepEqual(enabled('TLS_RSA_WITH_3DES_EDE_CBC_SHA TLS_DH_anon_WITH_AES_128_CBC_SHA'), ['3DES', 'ADH']);
  });

  it('counts classes only for what current OpenSSL puts in them', () => {
    assert.deepEqual(enabled('HIGH'), ['ADH', 'AECDH']);
    assert.deepEqual(enabled('ALL'), ['3DES', 'ADH', 'AECDH']);
    assert.deepEqual(enabled('MEDIUM'), ['3DES']);
    assert.deepEqual(enabled('DEFAULT'), []);
    assert.deepEqual(enabled('aNULL'), ['ADH', 'AECDH']);
  });

  it('applies exclusions: ! for good, - until added back', () => {
    assert.deepEqual(enabled('HIGH:!aNULL:!MD5'), []);
    assert.deepEqual(enabled('ALL:!aNULL:!3DES'), []);
    assert.deepEqual(enabled('!RC4:RC4-SHA'), []);
    assert.deepEqual(enabled('-3DES:DES-CBC3-SHA'), ['3DES']);
    assert.deepEqual(enabled('DES-CBC3-SHA:-3DES'), []);
    assert.deepEqual(enabled('ALL:!MEDIUM:!aNULL'), []);
  });

  it('reads `+` as reordering at the start of an item and as an intersection inside it', () => {
    assert.deepEqual(enabled('ECDHE+AESGCM:+RC4'), []);
    assert.deepEqual(enabled('RSA+3DES'), ['3DES']);
    assert.deepEqual(enabled('EECDH+aRSA+RC4'), ['RC4']);
    assert.deepEqual(enabled('aRSA+HIGH'), []);
  });

  it('accepts commas and blanks as separators and ignores @ commands', () => {
    assert.deepEqual(enabled('ECDHE-RSA-AES128-GCM-SHA256, RC4-SHA'), ['RC4']);
    assert.deepEqual(enabled('HIGH !aNULL !MD5 @STRENGTH @SECLEVEL=2'), []);
  });

  it('points at the item that enabled a family', () => {
    const text = 'ECDHE-RSA-AES128-GCM-SHA256:DES-CBC3-SHA';
    const item = weakCipherFamilies(text).enabled.get('3DES')!;
    assert.equal(text.slice(item.start, item.end), 'DES-CBC3-SHA');
  });
});
