const TERMINATORS = new Set(['.', '!', '?', '…']);
// Quotes and brackets that close a sentence stay with it: `"Great!" she said` keeps the quote.
const CLOSERS = new Set(['"', "'", '”', '’', '»', ')', ']']);
// Lower-case words (without the dot) after which a `.` does not end the sentence.
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'st',
  'vs',
  'etc',
  'e.g',
  'i.e',
  'approx',
  'no',
  'inc',
  'ltd',
  'jr',
  'sr',
  'sra',
  'srta',
  'dra',
  'ud',
  'uds',
  'avda',
  'aprox',
  'núm',
  'pág',
  'p.ej',
  'ej',
  'vol',
  'fig',
]);

/**
 * Cuts streamed text into complete sentences as soon as each one is certain: a run of
 * `. ! ? …` (and closing quotes) followed by whitespace. A `.` after an abbreviation or
 * initials (`J.`, `U.S.`) does not count, and `3.5` never has whitespace after its dot. Decisions depend
 * only on the text, never on how it was chunked.
 */
export class SentenceSplitter {
  private buffer = '';
  private scanFrom = 0;

  /** Adds streamed text; returns the sentences it completed. */
  push(chunk: string): string[] {
    this.buffer += chunk;
    const sentences: string[] = [];
    let start = 0;
    let i = this.scanFrom;
    while (i < this.buffer.length) {
      const ch = this.buffer[i] as string;
      if (!TERMINATORS.has(ch)) {
        i++;
        continue;
      }
      let end = i;
      while (end < this.buffer.length && TERMINATORS.has(this.buffer[end] as string)) end++;
      while (end < this.buffer.length && CLOSERS.has(this.buffer[end] as string)) end++;
      if (end === this.buffer.length) break; // the next character decides
      if (!/\s/.test(this.buffer[end] as string) || this.isAbbreviation(start, i, end)) {
        i = end;
        continue;
      }
      const sentence = this.buffer.slice(start, end).trim();
      if (sentence !== '') sentences.push(sentence);
      start = end;
      i = end;
    }
    this.buffer = this.buffer.slice(start);
    this.scanFrom = Math.max(0, i - start);
    return sentences;
  }

  /** The unfinished rest, when the stream has ended normally. */
  flush(): string | undefined {
    const rest = this.buffer.trim();
    this.buffer = '';
    this.scanFrom = 0;
    return rest === '' ? undefined : rest;
  }

  private isAbbreviation(start: number, dot: number, end: number): boolean {
    if (end - dot !== 1 || this.buffer[dot] !== '.') return false;
    const before = this.buffer.slice(start, dot);
    const word = /(\p{L}[\p{L}.]*)$/u.exec(before)?.[1]?.toLowerCase();
    if (word === undefined) return false;
    // Initials: `J.` or `U.S.`.
    return /^(\p{L}\.)*\p{L}$/u.test(word) || ABBREVIATIONS.has(word);
  }
}

/** A sentence of a text and where it starts in it (word events carry positions in the text). */
export interface Sentence {
  text: string;
  offset: number;
}

/**
 * All sentences of a complete text: the split the streaming splitter makes, so the live lane
 * looks up in the voice cache exactly the sentences the script stage speaks.
 */
export function splitSentences(text: string): Sentence[] {
  const splitter = new SentenceSplitter();
  const sentences = splitter.push(text);
  const rest = splitter.flush();
  if (rest !== undefined) sentences.push(rest);
  // Each sentence is a trimmed slice of the text, in order: the first match past the previous one is it.
  let cursor = 0;
  return sentences.map((sentence) => {
    const offset = text.indexOf(sentence, cursor);
    cursor = offset + sentence.length;
    return { text: sentence, offset };
  });
}
