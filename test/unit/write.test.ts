/**
 * generator/write.ts with output in pieces (OutputFile.parts, which the big emitters produce): the bytes on disk are
 * the UTF-8 of the joined text whatever the pieces (multi-byte characters, surrogate pairs split between pieces,
 * pieces larger than the write buffer), a text split differently from the remembered one is still recognised as
 * unchanged, and a changed one as changed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { OutputMemory, compareOutput, outputBytes, outputFile, sameText, writeOutput } from '../../generator/write.js';

/** Runs `body` with a fresh temp dir, removed afterwards whatever happens. */
function inTempDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'sg-write-'));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `text` cut at `cuts` (positions, any order, repeats allowed). */
function split(text: string, cuts: readonly number[]): string[] {
  const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const c of at) {
    out.push(text.slice(from, c));
    from = c;
  }
  out.push(text.slice(from));
  return out;
}

test('sameText compares the concatenations, however they are cut', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), fc.array(fc.nat()), fc.array(fc.nat()), fc.nat(), (text, c1, c2, at) => {
      assert.equal(sameText(split(text, c1), split(text, c2)), true);
      if (text.length > 0) {
        const i = at % text.length;
        const other = text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) ^ 1) + text.slice(i + 1);
        assert.equal(sameText(split(text, c1), split(other, c2)), false);
      }
      assert.equal(sameText(split(text, c1), split(`${text}x`, c2)), false);
    }),
    { seed: 20261128, numRuns: 300 },
  );
});

test('a file written from pieces has the UTF-8 bytes of the joined text', () =>
  inTempDir((dir) => {
    const big = 'é'.repeat(400_000) + 'x'.repeat(700_000); // more than the write buffer, multi-byte
    const texts = [
      ['a', '\n', 'b', '\n', '', 'ç€😀', '\n'],
      ['😀'.slice(0, 1), '😀'.slice(1), ' pair split between pieces\n'],
      ['lone \ud800', ' surrogate\n'],
      ['x\n', big, '\n', ...Array.from({ length: 5000 }, (_, i) => `line ${i} ü\n`), big],
      Array.from({ length: 3000 }, (_, i) => `${'€'.repeat(200 + ((i * 7919) % 700))}\n`), // 3-byte characters filling the buffer unevenly
      [],
    ];
    texts.forEach((parts, i) => {
      const out = join(dir, `out${i}`);
      writeOutput(out, [outputFile('f.txt', parts), { path: 'g.txt', content: parts.join('') }]);
      const want = Buffer.from(parts.join(''), 'utf8');
      assert.ok(readFileSync(join(out, 'f.txt')).equals(want), `text ${i}`);
      assert.ok(readFileSync(join(out, 'g.txt')).equals(want), `text ${i} as a string`);
    });
  }));

test('a file given as bytes is compared and written as those bytes; its content is their text', () =>
  inTempDir((dir) => {
    const out = join(dir, 'out');
    const text = 'ç€😀\n'.repeat(1000);
    const bytes = () => new Uint8Array(Buffer.from(text, 'utf8'));
    assert.deepEqual(writeOutput(out, [outputBytes('f.txt', bytes())]).written, ['f.txt']);
    assert.ok(readFileSync(join(out, 'f.txt')).equals(Buffer.from(text, 'utf8')));
    assert.equal(outputBytes('f.txt', bytes()).content, text);
    assert.deepEqual(writeOutput(out, [outputBytes('f.txt', bytes())]).unchanged, ['f.txt'], 'same bytes: unchanged');
    assert.deepEqual(compareOutput(out, [{ path: 'f.txt', content: text }]).differ, [], 'the same file as text');
    const changed = bytes();
    changed[changed.length - 2] ^= 1;
    assert.deepEqual(compareOutput(out, [outputBytes('f.txt', changed)]).differ, ['f.txt']);
    assert.deepEqual(compareOutput(out, [outputBytes('f.txt', bytes().subarray(1))]).differ, ['f.txt'], 'shorter');
    assert.deepEqual(writeOutput(out, [outputBytes('f.txt', changed)]).written, ['f.txt']);
    assert.ok(readFileSync(join(out, 'f.txt')).equals(changed));
  }));

test('a file written ahead is moved into place, or written from its bytes when it cannot be; no copy is left either way', () =>
  inTempDir((dir) => {
    const out = join(dir, 'generated');
    const text = 'const v = 1;\n'.repeat(500);
    const bytes = () => new Uint8Array(Buffer.from(text, 'utf8'));
    const ahead = (name: string) => {
      const file = join(dir, `.generated.tmp-${process.pid}-${name}v`);
      writeFileSync(file, bytes());
      return file;
    };
    const left = () => readdirSync(dir).filter((n) => n.startsWith('.generated.'));
    // New output: the file written ahead becomes the output file (same inode), nothing else is written for it.
    const first = ahead('a1');
    const ino = statSync(first).ino;
    assert.deepEqual(writeOutput(out, [outputBytes('v.ts', bytes(), first), { path: 'x.ts', content: 'x\n' }]).written, ['v.ts', 'x.ts']);
    assert.equal(statSync(join(out, 'v.ts')).ino, ino);
    assert.equal(readFileSync(join(out, 'v.ts'), 'utf8'), text);
    assert.deepEqual(left(), []);
    // Unchanged: the output keeps its file and times; the copy written ahead is removed.
    const mtime = statSync(join(out, 'v.ts')).mtimeMs;
    assert.deepEqual(writeOutput(out, [outputBytes('v.ts', bytes(), ahead('a2')), { path: 'x.ts', content: 'x\n' }]).written, []);
    assert.deepEqual(left(), []);
    assert.equal(statSync(join(out, 'v.ts')).mtimeMs, mtime);
    // Unchanged beside a change: linked from the old output, and the copy removed.
    assert.deepEqual(writeOutput(out, [outputBytes('v.ts', bytes(), ahead('a3')), { path: 'x.ts', content: 'y\n' }]).written, ['x.ts']);
    assert.equal(statSync(join(out, 'v.ts')).ino, ino);
    assert.deepEqual(left(), []);
    // A copy that is gone by then (or cannot be moved): the bytes are written instead.
    const changed = bytes();
    changed[0] = 0x43; // 'C'
    assert.deepEqual(writeOutput(out, [outputBytes('v.ts', changed, join(dir, 'no-such-file')), { path: 'x.ts', content: 'y\n' }]).written, ['v.ts']);
    assert.ok(readFileSync(join(out, 'v.ts')).equals(changed));
    assert.deepEqual(left(), []);
  }));

test('with a memory, the same text in other pieces is unchanged, and a change of one character is written', () =>
  inTempDir((dir) => {
    const out = join(dir, 'generated');
    const memory = new OutputMemory();
    const lines = Array.from({ length: 2000 }, (_, i) => `const x${i} = ${i};\n`);
    assert.deepEqual(writeOutput(out, [outputFile('a.ts', lines)], memory).written, ['a.ts']);
    const mtime = statSync(join(out, 'a.ts')).mtimeMs;
    assert.deepEqual(writeOutput(out, [outputFile('a.ts', [lines.slice(0, 999).join(''), ...lines.slice(999)])], memory).written, []);
    assert.deepEqual(writeOutput(out, [{ path: 'a.ts', content: lines.join('') }], memory).written, []);
    assert.equal(statSync(join(out, 'a.ts')).mtimeMs, mtime);
    const changed = [...lines];
    changed[1500] = changed[1500]!.replace('1500', '1501');
    assert.deepEqual(writeOutput(out, [outputFile('a.ts', changed)], memory).written, ['a.ts']);
    assert.equal(readFileSync(join(out, 'a.ts'), 'utf8'), changed.join(''));
    // Without a memory, the bytes on disk are compared with the pieces' UTF-8.
    assert.deepEqual(writeOutput(out, [outputFile('a.ts', [changed.join('')])]).written, []);
    assert.deepEqual(writeOutput(out, [outputFile('a.ts', lines)]).written, ['a.ts']);
    assert.deepEqual(writeOutput(out, [outputFile('a.ts', [...lines.slice(0, 10), lines.slice(10).join('')])]).written, []);
    // Bytes, not decoded text: an invalid byte on disk reads as U+FFFD, yet is not what a build would write.
    writeFileSync(join(out, 'b.txt'), Buffer.from([0x61, 0xff, 0x0a]));
    assert.deepEqual(writeOutput(out, [outputFile('a.ts', lines), outputFile('b.txt', ['a', '\ufffd', '\n'])]).written, ['b.txt']);
    assert.deepEqual(readFileSync(join(out, 'b.txt')), Buffer.from('a\ufffd\n', 'utf8'));
    assert.deepEqual(writeOutput(out, [outputFile('a.ts', lines), outputFile('b.txt', ['a', '\ufffd', '\n'])]).written, []);
    writeFileSync(join(out, 'b.txt'), 'a\ufffd\nmore');
    assert.deepEqual(writeOutput(out, [outputFile('a.ts', lines), outputFile('b.txt', ['a', '\ufffd', '\n'])]).written, ['b.txt']);
  }));

test('with `later`, the previous output is removed by the task handed over, after the new one is in place', () =>
  inTempDir((dir) => {
    const out = join(dir, 'generated');
    writeOutput(out, [{ path: 'a.ts', content: 'one\n' }]);
    const tasks: (() => void)[] = [];
    writeOutput(out, [{ path: 'a.ts', content: 'two\n' }], undefined, (task) => tasks.push(task));
    assert.equal(readFileSync(join(out, 'a.ts'), 'utf8'), 'two\n');
    assert.equal(tasks.length, 1);
    assert.equal(readdirSync(dir).filter((n) => n.startsWith('.generated.old-')).length, 1);
    tasks[0]!();
    assert.deepEqual(readdirSync(dir), ['generated']);
  }));
