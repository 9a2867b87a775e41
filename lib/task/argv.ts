// Commands in task files are written the way zx writes them — `$\`qemu-img create -f qcow2 ${disk} 128G\``
// — but kept as argv arrays, never shell text: a literal piece is split on whitespace, an
// interpolated string joins the word it touches (so `accel=${accel}` stays one word), and an array
// gives one word per element (so `${firmware}` can be `-bios FILE`, and `${[]}` is nothing).
// These are zx's own rules for `${…}`; the difference is that the argv is kept as data, and zx
// quotes each word of it for the shell it runs (process/run-command.ts): no value is shell syntax.
import { ExitCode, KubenetError } from '../errors.js';

// Characters a shell would act on: in a literal piece they would mean something in zx and nothing
// here, so they are refused rather than silently passed on as text.
const shellSyntax = /["'`$\\|&;<>(){}*?~#]/;

export type ArgValue = string | number | readonly (string | number)[] | { toString(): string };

export function argvOf(
  pieces: TemplateStringsArray | readonly string[],
  values: readonly unknown[],
  resolve: (value: unknown) => ArgValue = (v) => v as ArgValue,
): string[] {
  const words: string[] = [];
  let word: string | undefined; // the word being built, if any
  const end = () => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  pieces.forEach((piece, i) => {
    const bad = shellSyntax.exec(piece);
    if (bad) {
      throw new KubenetError(
        `a command in a task file has the shell character ${bad[0]} ` +
          `in its text: ${JSON.stringify(pieces.join('${…}').trim())}`,
        {
          code: ExitCode.graph,
          hint:
            'kubenet runs commands as argv, each word quoted for the shell: ' +
            "put such text in a value, e.g. ${'a b'}, or split it into words",
        },
      );
    }
    for (const ch of piece) {
      if (/\s/.test(ch)) end();
      else word = (word ?? '') + ch;
    }
    if (i >= values.length) return;
    const value = resolve(values[i]);
    if (Array.isArray(value)) {
      value.forEach((element, j) => {
        if (j > 0) end();
        word = (word ?? '') + String(element);
      });
    } else {
      word = (word ?? '') + String(value);
    }
  });
  end();
  return words;
}
