import { describe, expect, it } from 'vitest';
import { applyPatch, getPointer, parsePointer, PatchError, type JsonValue, type PatchOperation } from '../src/patch.js';

const ops = (value: unknown) => value as PatchOperation[];

describe('RFC 6902 appendix A', () => {
  const cases: Array<[string, JsonValue, unknown, JsonValue | 'error']> = [
    ['A.1 adding an object member', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }], { baz: 'qux', foo: 'bar' }],
    ['A.2 adding an array element', { foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }], { foo: ['bar', 'qux', 'baz'] }],
    ['A.3 removing an object member', { baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }], { foo: 'bar' }],
    ['A.4 removing an array element', { foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }], { foo: ['bar', 'baz'] }],
    ['A.5 replacing a value', { baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }], { baz: 'boo', foo: 'bar' }],
    ['A.6 moving a value', { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
      [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }], { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } }],
    ['A.7 moving an array element', { foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
      { foo: ['all', 'cows', 'eat', 'grass'] }],
    ['A.8 testing a value: success', { baz: 'qux', foo: ['a', 2, 'c'] },
      [{ op: 'test', path: '/baz', value: 'qux' }, { op: 'test', path: '/foo/1', value: 2 }], { baz: 'qux', foo: ['a', 2, 'c'] }],
    ['A.9 testing a value: error', { baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }], 'error'],
    ['A.10 adding a nested member object', { foo: 'bar' }, [{ op: 'add', path: '/child', value: { grandchild: {} } }],
      { foo: 'bar', child: { grandchild: {} } }],
    ['A.11 ignoring unrecognized elements', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }], { foo: 'bar', baz: 'qux' }],
    ['A.12 adding to a nonexistent target', { foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }], 'error'],
    ['A.14 ~ escape ordering', { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: 10 }], { '/': 9, '~1': 10 }],
    ['A.15 comparing strings and numbers', { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: '10' }], 'error'],
    ['A.16 adding an array value', { foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }], { foo: ['bar', ['abc', 'def']] }],
  ];
  for (const [name, doc, patch, expected] of cases) {
    it(name, () => {
      if (expected === 'error') expect(() => applyPatch(doc, ops(patch))).toThrow(PatchError);
      else expect(applyPatch(doc, ops(patch))).toEqual(expected);
    });
  }
  // A.13 (a duplicate "op" member) is a JSON parsing matter: JSON.parse keeps the last member.
});

describe('applyPatch beyond the appendix', () => {
  it('moves /1 to /19: "from" is a string prefix of "path" but not a pointer prefix', () => {
    const doc = Array.from({ length: 20 }, (_, i) => i);
    const expected = [0, ...Array.from({ length: 18 }, (_, i) => i + 2), 1];
    expect(applyPatch(doc, [{ op: 'move', from: '/1', path: '/19' }])).toEqual(expected);
  });

  it('refuses to move a value into its own child', () => {
    expect(() => applyPatch({ a: { b: {} } }, [{ op: 'move', from: '/a', path: '/a/b/c' }])).toThrow(/own child/);
  });

  it('moving a value onto itself is a no-op, but the value must exist', () => {
    expect(applyPatch({ a: 1 }, [{ op: 'move', from: '/a', path: '/a' }])).toEqual({ a: 1 });
    expect(() => applyPatch({ a: 1 }, [{ op: 'move', from: '/b', path: '/b' }])).toThrow(/does not exist/);
  });

  it('copies deeply: later changes to the copy leave the original alone', () => {
    const result = applyPatch({ a: { x: 1 } } as JsonValue, [
      { op: 'copy', from: '/a', path: '/b' },
      { op: 'replace', path: '/b/x', value: 2 },
    ]);
    expect(result).toEqual({ a: { x: 1 }, b: { x: 2 } });
  });

  it('applies array index rules: no leading zeros, no index past the end, "-" only to add', () => {
    expect(() => applyPatch([1, 2], [{ op: 'add', path: '/01', value: 0 }])).toThrow(/invalid array index/);
    expect(() => applyPatch([1, 2], [{ op: 'add', path: '/3', value: 0 }])).toThrow(/out of range/);
    expect(applyPatch([1, 2], [{ op: 'add', path: '/2', value: 3 }])).toEqual([1, 2, 3]);
    expect(() => applyPatch([1, 2], [{ op: 'remove', path: '/2' }])).toThrow(/out of range/);
    expect(() => applyPatch([1, 2], [{ op: 'remove', path: '/-' }])).toThrow(/invalid array index/);
    expect(() => applyPatch([1, 2], [{ op: 'replace', path: '/-1', value: 0 }])).toThrow(/invalid array index/);
  });

  it('unescapes ~1 before ~0 and rejects other escapes', () => {
    expect(parsePointer('/a~1b/c~0d/~01')).toEqual(['a/b', 'c~d', '~1']);
    expect(() => parsePointer('/a~2')).toThrow(/invalid escape/);
    expect(() => parsePointer('a')).toThrow(/must be empty or start with/);
    expect(() => getPointer({ '': { ' ': 7 } }, '/ / ')).toThrow(/does not exist/);
    expect(getPointer({ '': { ' ': 7 } }, '// ')).toBe(7);
  });

  it('replaces and removes only existing targets (strict), adds in lenient row mode', () => {
    expect(() => applyPatch({ a: 1 }, [{ op: 'replace', path: '/b', value: 2 }])).toThrow(/does not exist/);
    expect(() => applyPatch({ a: 1 }, [{ op: 'remove', path: '/b' }])).toThrow(/does not exist/);
    expect(applyPatch({ a: 1 }, [{ op: 'replace', path: '/b', value: null }], { lenient: true })).toEqual({ a: 1, b: null });
  });

  it('replaces the whole document at the empty path, and never removes it', () => {
    expect(applyPatch([1], [{ op: 'replace', path: '', value: { x: [] } }])).toEqual({ x: [] });
    expect(applyPatch({ a: 1 }, [{ op: 'add', path: '', value: [2] }])).toEqual([2]);
    expect(() => applyPatch({ a: 1 }, [{ op: 'remove', path: '' }])).toThrow(/whole document/);
  });

  it('tests by JSON equality: member order does not matter, types do', () => {
    expect(applyPatch({ a: { x: 1, y: [1, { z: null }] } }, [{ op: 'test', path: '/a', value: { y: [1, { z: null }], x: 1 } }]))
      .toEqual({ a: { x: 1, y: [1, { z: null }] } });
    expect(() => applyPatch({ a: [1] }, [{ op: 'test', path: '/a', value: { 0: 1 } }])).toThrow(/test failed/);
    expect(() => applyPatch({ a: null }, [{ op: 'test', path: '/a', value: false }])).toThrow(/test failed/);
  });

  it('is atomic: a failing operation leaves the input untouched and names its index', () => {
    const doc = { list: [1, 2, 3] };
    let error: unknown;
    try {
      applyPatch(doc, [{ op: 'remove', path: '/list/0' }, { op: 'test', path: '/list/0', value: 9 }]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PatchError);
    expect((error as PatchError).index).toBe(1);
    expect(doc).toEqual({ list: [1, 2, 3] });
  });

  it('rejects malformed operations with a clear message', () => {
    expect(() => applyPatch({}, ops([{ op: 'add', path: '/a' }]))).toThrow(/'add' without a value/);
    expect(() => applyPatch({}, ops([{ op: 'move', path: '/a' }]))).toThrow(/'move' without a 'from'/);
    expect(() => applyPatch({}, ops([{ op: 'frobnicate', path: '/a' }]))).toThrow(/unknown operation "frobnicate"/);
    expect(() => applyPatch({}, ops({ op: 'add' }))).toThrow(/must be an array/);
  });
});
