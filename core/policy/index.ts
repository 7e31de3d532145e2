/**
 * Retrieval over knowledge-base passages. Each passage is scored by
 *   BM25F of the passage (heading, body) + a share of BM25F of its entry (title, keywords+synonyms, all passages)
 *   + a within-entry BM25F (idf inside the entry, so the sub-question decides between passages of one topic),
 * then adjusted for heading/question agreement (ASPECTS), the kind of fact asked (ANSWER_TYPES), a named programme
 * in the title (or, naming none, the all-stage topics), a variant or group the question does not ask about (VARIANTS,
 * GROUPS), and how much of the question the passage covers. Coverage is also the confidence the answerer
 * thresholds on. Built once per knowledge-base object (lazy, cached); see `npm run bench` for the build time.
 */
import type { Kb, KbEntry, KbPassage } from "./kb";
import {
  createDictionary,
  dictionaryOf,
  prepareQuery,
  tokenize,
  tokenKeys,
  type Dictionary,
  type Token,
  type TokenKind,
} from "./segment";
import { domainTerms } from "../../prompts/synonyms";
import { prebuiltFor } from "./prebuilt";
import {
  answerTypes as ANSWER_TYPES,
  generalAidWords as GENERAL_AID,
  genericWords as GENERIC,
  groups as GROUPS,
  headingAspects as ASPECTS,
  variants as VARIANTS,
} from "../../prompts/retrieval";

export type Field = "title" | "keys" | "heading" | "body";
/** Entries whose every passage is a candidate: the best this many by entry score (plus the understood programme's). */
const CANDIDATE_ENTRIES = 8;
const FIELDS: readonly Field[] = ["title", "keys", "heading", "body"];

export interface RankingParams {
  k1: number;
  /** Field weights (BM25F). */
  weight: Record<Field, number>;
  /** Field length normalisation (BM25F b). */
  b: Record<Field, number>;
  /** Query-term weight by token kind. */
  kind: Record<TokenKind, number>;
  /** Share of the entry-level score added to each of its passages. */
  entryBlend: number;
  /**
   * Weight of the within-entry score: BM25F over the entry's own passages with idf computed inside the entry, so
   * the words every passage of the topic shares count for little and the aspect asked about (流程, 最少, 发到哪)
   * decides between them.
   */
  aspect: number;
  /** Bonus when a passage heading asks the same sub-question as the question (ASPECTS). */
  headingAspectBoost: number;
  /** Bonus for the passages of an entry whose title or programme names a policy term of the question. */
  titleBoost: number;
  /** Share of a passage's score that depends on its coverage of the question: score × (1 − c + c × coverage). */
  coverageBlend: number;
  /** Query weight of a dictionary word that is made of other dictionary words (its parts are terms too). */
  compoundWeight: number;
  /** Bonus for earlier passages (the overview comes first): score × (1 + positionPrior / (1 + index)). */
  positionPrior: number;
  /** Bonus when a passage holds the kind of fact asked for (an amount, a date, a duration, a place). */
  answerTypeBoost: number;
  /** Coverage at or above which a question counts as about this domain even without a policy term. */
  domainCoverage: number;
  /** Slot match (understood programme = the entry's `topics`): factor for a match, and for an entry of another programme. */
  topicBoost: number;
  otherTopic: number;
  /** Slot match (understood aspect = the passage's `{aspect=…}` tags): factor for a match. */
  aspectTagBoost: number;
}

/** What the understanding step found in the question (core/assistant/understand.ts), for slot-first ranking. */
export interface Slots {
  programme?: string;
  /**
   * The programmes that exist at the school level(s) the question names; a passage tagged only with other
   * programmes ranks lower ("幼儿园免费从啥时候开始" is not about the 两免一补 start date).
   */
  levelTopics?: ReadonlySet<string>;
  /** Boarding or not, as understood ("没住校" is 走读); overrides the variant the words alone suggest. */
  variant?: "寄宿" | "走读";
  /** Every programme the question names or covers (生源地 and 校园地; 助学贷款 → both loans); defaults to `programme`. */
  programmes?: readonly string[];
  aspects?: readonly string[];
}

export const defaultParams: RankingParams = {
  k1: 1.2,
  weight: { title: 2.0, keys: 2.0, heading: 4.0, body: 1.0 },
  b: { title: 0.3, keys: 0.3, heading: 0.4, body: 0.75 },
  kind: { w: 1.0, a: 1.0, b: 0.5, u: 0.15 },
  entryBlend: 0.4,
  aspect: 0.5,
  headingAspectBoost: 0.25,
  titleBoost: 0.2,
  coverageBlend: 0.4,
  compoundWeight: 0.3,
  positionPrior: 0.05,
  answerTypeBoost: 0.15,
  domainCoverage: 0.6,
  topicBoost: 1.0,
  otherTopic: 0.6,
  aspectTagBoost: 0.6,
};

/** Score factor for a passage about a group the question does not name. */
const OTHER_GROUP = 0.7;
/** Score factor for a passage whose heading names only the other variant. */
const OTHER_VARIANT = 0.8;

export interface PassageHit {
  entry: KbEntry;
  passage: KbPassage;
  /** Position of the passage within its entry. */
  index: number;
  score: number;
  /** Query terms (weighted by idf) this passage or its entry's title/keywords contain, as a share of the query. */
  coverage: number;
  /** The query terms found, for composing (which passage adds something new). */
  matched: ReadonlySet<string>;
  /** Whether the passage states the kind of fact the question asks for (an amount, a date, a place …). */
  answersType?: boolean;
  /** Whether the passage heading asks the sub-question the question asks (ASPECTS). */
  answersAspect?: boolean;
  /** Whether the heading names only the other variant of what the question names (不住校 asked, 住校 heading). */
  otherVariant?: boolean;
}

export interface SearchResult {
  /** Passages, best first. */
  hits: PassageHit[];
  /** Confidence of the best hit in [0, 1]: its coverage of the query. */
  confidence: number;
  /** Query terms with weights (after expansion), for debugging and the composer. */
  terms: ReadonlyMap<string, QueryTerm>;
  /** Whether the question names anything of this domain at all (a dictionary word that occurs in the KB). */
  domain: boolean;
  /**
   * Share (idf-weighted) of the question's own content terms that occur nowhere in the knowledge base: high when
   * the question turns on something the KB does not know (军校, 校服费, 复读生).
   */
  unknown: number;
  /** Whether the question asks for a kind of fact (ANSWER_TYPES): how much, when, how long, where … */
  wantsType?: boolean;
  /** Whether the question asks a sub-question a heading can ask (ASPECTS): how to apply, how much, who … */
  asksAspect?: boolean;
}

export interface QueryTerm {
  weight: number;
  idf: number;
  /** Entries containing the term. */
  df: number;
  kind: TokenKind;
  /** Counts towards coverage (a word, a number or a clean bigram typed by the user — not an expansion). */
  content: boolean;
  /** For an expansion term: the question's own terms it stands for (credited when the expansion matches). */
  stands?: string[];
}

export type WordSplitter = (run: string) => string[];

export interface PolicyIndex {
  readonly kb: Kb;
  readonly dictionary: Dictionary;
  readonly buildMs: number;
  readonly passageCount: number;
  /** `slots`: the understood programme and aspects — passages tagged with them rank first, BM25 orders the rest. */
  search(query: string, limit?: number, slots?: Slots): SearchResult;
}

interface Doc {
  entry: number;
  index: number;
  len: Record<Field, number>;
}

function key(t: Token): string {
  return `${t.kind}:${t.term}`;
}

/** A term's postings as flat arrays: document ids, and per document the term frequency in each field. */
interface Postings {
  docs: number[];
  /** FIELDS.length numbers per document, in FIELDS order. */
  tf: number[];
  /** Computed on first use, never stored in the artefact: the term's idf, and per document see `saturation`. */
  idf?: number;
  sat?: Float64Array;
  satParams?: RankingParams;
  /** The within-entry idf per document (indexFromData). */
  local?: Float64Array;
  /**
   * Per document whether it holds the term (indexFromData): any field of a passage; the title or keywords of an
   * entry.
   */
  holds?: Uint8Array;
}

function countKeys(keys: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

function emptyFields(): Record<Field, number> {
  return { title: 0, keys: 0, heading: 0, body: 0 };
}

/** A FieldIndex as plain data (for the prebuilt artefact). */
export interface FieldData {
  postings: [string, number[], number[]][];
  docs: Doc[];
  avg: Record<Field, number>;
}

/** What a passage's heading and text say, read once at build time (see `buildIndexData`). */
interface PassageFacts {
  types: boolean[];
  headingAspects: boolean[];
  headingSides: (readonly [boolean, boolean])[];
  textSides: (readonly [boolean, boolean])[];
  groups: boolean[];
}

/**
 * Everything the index computes from the knowledge base, as plain JSON: what `buildIndexData` produces and
 * `indexFromData` turns back into a searchable index. The prebuilt artefact (core/policy/prebuilt.ts) is this.
 */
export interface IndexData {
  /** Dictionary words (normalised) and the words that show a question is about student aid. */
  words: string[];
  strongWords: string[];
  /** Postings of the passages (heading, body) and of the entries (title, keywords, all passages). */
  passages: FieldData;
  entries: FieldData;
  /** Per entry, its title's and programme's terms; per entry, its first passage's document id. */
  titleTerms: string[][];
  firstDoc: number[];
  facts: PassageFacts[];
}

/** A BM25F index over one set of documents (passages, or whole entries). */
class FieldIndex {
  readonly postings = new Map<string, Postings>();
  readonly docs: Doc[] = [];
  readonly avg: Record<Field, number> = emptyFields();

  /** Adds a document given the index keys of each field. */
  add(doc: Doc, fields: Record<Field, readonly string[]>): void {
    const id = this.docs.length;
    this.docs.push(doc);
    const nf = FIELDS.length;
    FIELDS.forEach((f, fi) => {
      doc.len[f] = fields[f].length;
      for (const [term, n] of countKeys(fields[f])) {
        let p = this.postings.get(term);
        if (!p) this.postings.set(term, (p = { docs: [], tf: [] }));
        if (p.docs[p.docs.length - 1] !== id) {
          p.docs.push(id);
          for (let k = 0; k < nf; k++) p.tf.push(0);
        }
        p.tf[(p.docs.length - 1) * nf + fi]! += n;
      }
    });
  }

  toData(): FieldData {
    return {
      postings: [...this.postings].map(([t, p]) => [t, p.docs, p.tf]),
      docs: this.docs,
      avg: this.avg,
    };
  }

  static fromData(d: FieldData): FieldIndex {
    const f = new FieldIndex();
    for (const [t, docs, tf] of d.postings) f.postings.set(t, { docs, tf });
    f.docs.push(...d.docs);
    Object.assign(f.avg, d.avg);
    return f;
  }

  finish(): void {
    for (const f of FIELDS)
      this.avg[f] = this.docs.reduce((s, d) => s + d.len[f], 0) / Math.max(1, this.docs.length) || 1;
  }

  df(term: string): number {
    return this.postings.get(term)?.docs.length ?? 0;
  }

  idf(term: string): number {
    const list = this.postings.get(term);
    if (list) return (list.idf ??= idfOf(this.docs.length, list.docs.length));
    return idfOf(this.docs.length, 0);
  }

  /**
   * Per posting of `list`, the saturated field-weighted term frequency t / (k1 + t) of BM25F: the same for every
   * query, so it is computed once per term (on first use, not at build) and kept on the postings.
   */
  private saturation(list: Postings, p: RankingParams): Float64Array {
    if (list.sat && list.satParams === p) return list.sat;
    const nf = FIELDS.length;
    const weight = FIELDS.map((f) => p.weight[f]);
    const b = FIELDS.map((f) => p.b[f]);
    const avg = FIELDS.map((f) => this.avg[f]);
    const fields = FIELDS;
    const docs = list.docs;
    const tfs = list.tf;
    const sat = new Float64Array(docs.length);
    for (let k = 0; k < docs.length; k++) {
      const len = this.docs[docs[k]!]!.len;
      let t = 0;
      for (let fi = 0; fi < nf; fi++) {
        const tf = tfs[k * nf + fi]!;
        if (!tf) continue;
        t += (weight[fi]! * tf) / (1 - b[fi]! + (b[fi]! * len[fields[fi]!]) / avg[fi]!);
      }
      sat[k] = t / (p.k1 + t);
    }
    list.sat = sat;
    list.satParams = p;
    return sat;
  }

  /**
   * BM25F scores of every document holding a query term, in the order the documents were first reached. The
   * term's idf is `idf` (once per term), or with `perDoc` an idf per posting (the within-entry idf). This loop runs
   * over every posting of every query term on every search: the per-posting parts are cached per term and the
   * sums kept in an array rather than a map.
   */
  score(
    query: ReadonlyMap<string, { weight: number }>,
    p: RankingParams,
    idf: (term: string, list: Postings) => number,
    perDoc?: (term: string, list: Postings) => Float64Array,
  ): Scores {
    const n = this.docs.length;
    const sums = new Float64Array(n);
    const reached = new Uint8Array(n);
    const order: number[] = [];
    for (const [term, q] of query) {
      const list = this.postings.get(term);
      if (!list) continue;
      const termIdf = perDoc ? 0 : idf(term, list);
      if (!perDoc && termIdf <= 0) continue;
      const local = perDoc ? perDoc(term, list) : undefined;
      const sat = this.saturation(list, p);
      const docs = list.docs;
      for (let k = 0; k < docs.length; k++) {
        const doc = docs[k]!;
        const i = local ? local[k]! : termIdf;
        if (i <= 0) continue;
        if (!reached[doc]) {
          reached[doc] = 1;
          order.push(doc);
        }
        sums[doc]! += q.weight * i * sat[k]!;
      }
    }
    return { sums, order };
  }
}

/** Scores of a search: per document (0 when not reached), and the documents reached, in the order first reached. */
interface Scores {
  sums: Float64Array;
  order: number[];
}

const NO_SCORES: Scores = { sums: new Float64Array(0), order: [] };

/** BM25's idf of a term found in `df` of `n` documents. */
function idfOf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

function entryFields(e: KbEntry, keysOf: (s: string) => string[]): Pick<Record<Field, string[]>, "title" | "keys"> {
  return {
    title: keysOf(e.title),
    keys: keysOf([...e.keywords, ...e.synonyms, e.programme ?? "", e.stage ?? ""].join(" ")),
  };
}

/** Builds the index. `words` swaps the dictionary word step (used by the bench to compare jieba). */
export function buildIndex(
  kb: Kb,
  opts: { params?: RankingParams; words?: WordSplitter; extraWords?: readonly string[] } = {},
): PolicyIndex {
  const started = performance.now();
  const data = buildIndexData(kb, opts);
  return indexFromData(kb, data, { ...opts, started });
}

/** Reads the knowledge base into the index's data: the dictionary, the postings, what each passage says. */
export function buildIndexData(kb: Kb, opts: { words?: WordSplitter; extraWords?: readonly string[] } = {}): IndexData {
  const vocabulary: string[] = [...domainTerms, ...(opts.extraWords ?? [])];
  for (const e of kb.entries) {
    vocabulary.push(e.title, ...e.keywords, ...e.synonyms);
    if (e.programme) vocabulary.push(e.programme);
    if (e.stage) vocabulary.push(e.stage);
    // Title pieces between brackets and separators are terms too ("两免一补中的一补").
    vocabulary.push(...e.title.split(/[（）()、，,：:·\s]+/));
  }
  const dictionary = createDictionary(vocabulary);
  // Words that show a question is about student aid: the built-in policy terms and the KB's titles and
  // programmes (keywords and synonyms also hold colloquial words such as 查一下 or 靠谱吗, so they do not count).
  const strongWords = createDictionary([
    ...domainTerms,
    ...kb.entries.flatMap((e) => [e.programme ?? "", ...e.title.split(/[（）()、，,：:·\s]+/)]),
  ]).words;
  const keysOf = (s: string) => tokenKeys(s, dictionary, opts.words);

  // Passages are indexed on their own words (heading, body); entries on everything (title, keywords, all
  // passages). A passage's score is its own plus a share of its entry's, so the topic is chosen by the entry and
  // the passage within it by what the passage itself says (shared fields would saturate BM25 and flatten that).
  const passages = new FieldIndex();
  const entries = new FieldIndex();
  const titleTerms: string[][] = [];
  const firstDoc: number[] = [];
  kb.entries.forEach((e, ei) => {
    const shared = entryFields(e, keysOf);
    titleTerms.push([...new Set([...shared.title, ...keysOf(e.programme ?? "")])]);
    firstDoc.push(passages.docs.length);
    const allHeadings: string[] = [];
    const allBodies: string[] = [];
    e.passages.forEach((p, pi) => {
      const heading = keysOf(p.heading);
      const body = keysOf(p.text);
      passages.add({ entry: ei, index: pi, len: emptyFields() }, { title: [], keys: [], heading, body });
      for (const k of heading) allHeadings.push(k);
      for (const k of body) allBodies.push(k);
    });
    entries.add({ entry: ei, index: -1, len: emptyFields() }, { ...shared, heading: allHeadings, body: allBodies });
  });
  passages.finish();
  entries.finish();
  // What each passage's heading and text say, read once here rather than for every candidate of every search:
  // which kinds of fact it states (ANSWER_TYPES), which aspects its heading names, which side of each variant
  // pair its heading and text name, which groups its heading names.
  const facts = passages.docs.map((d) => {
    const p = kb.entries[d.entry]!.passages[d.index]!;
    return {
      types: ANSWER_TYPES.map((t) => t.has.test(p.text)),
      headingAspects: ASPECTS.map((a) => a.test(p.heading)),
      headingSides: VARIANTS.map(([a, b]) => [a.test(p.heading), b.test(p.heading)] as const),
      textSides: VARIANTS.map(([a, b]) => [a.test(p.text), b.test(p.text)] as const),
      groups: GROUPS.map((g) => p.heading.includes(g)),
    };
  });
  // Each passage's terms, each entry's head terms and the within-entry document frequencies are read back from
  // the postings in indexFromData (so the artefact does not hold them twice).
  return {
    words: [...dictionary.words],
    strongWords: [...strongWords],
    passages: passages.toData(),
    entries: entries.toData(),
    titleTerms,
    firstDoc,
    facts,
  };
}

/**
 * A searchable index over `kb` from its data (built now, or read from the prebuilt artefact). `kb` must be the
 * knowledge base the data was built from, or one differing only in the text its placeholders were filled with.
 */
export function indexFromData(
  kb: Kb,
  data: IndexData,
  opts: { params?: RankingParams; words?: WordSplitter; started?: number } = {},
): PolicyIndex {
  const started = opts.started ?? performance.now();
  const params = opts.params ?? defaultParams;
  const dictionary = dictionaryOf(data.words);
  const strongWords: ReadonlySet<string> = new Set(data.strongWords);
  const tok = (s: string) => tokenize(s, dictionary, opts.words);
  /** Tokens of the expansion vocabulary (prompts/synonyms.ts: a fixed set of phrases), kept once tokenized. */
  const vocabTokens = new Map<string, Token[]>();
  const tokVocab = (s: string) => {
    let t = vocabTokens.get(s);
    if (!t) vocabTokens.set(s, (t = tok(s)));
    return t;
  };
  /** A dictionary word as a sequence of shorter dictionary words (or bigrams), or null when it has no such split. */
  const compoundMemo = new Map<string, string[] | null>();
  const splitCompound = (word: string): string[] | null => {
    let out = compoundMemo.get(word);
    if (out === undefined) compoundMemo.set(word, (out = splitCompoundOnce(word)));
    return out;
  };
  function splitCompoundOnce(word: string): string[] | null {
    const chars = Array.from(word);
    const parts: string[] = [];
    let i = 0;
    while (i < chars.length) {
      let len = Math.min(chars.length - i, chars.length - 1);
      while (len >= 2 && !dictionary.words.has(chars.slice(i, i + len).join(""))) len--;
      if (len < 2) len = Math.min(2, chars.length - i);
      if (len < 2) return null;
      parts.push(chars.slice(i, i + len).join(""));
      i += len;
    }
    return parts.length > 1 ? parts : null;
  }
  const passages = FieldIndex.fromData(data.passages);
  const entries = FieldIndex.fromData(data.entries);
  const titleTerms = data.titleTerms.map((t) => new Set(t));
  const firstDoc = data.firstDoc;
  // Read from the postings on first use of a term, not at load (a cold start pays only for the terms it meets):
  // which passages hold it (heading or body), which entries hold it in their title or keywords, and its
  // within-entry idf per passage.
  const nf = FIELDS.length;
  const inPassages = (t: string): Uint8Array | undefined => {
    const list = passages.postings.get(t);
    if (!list) return undefined;
    if (!list.holds) {
      list.holds = new Uint8Array(passages.docs.length);
      for (const d of list.docs) list.holds[d] = 1;
    }
    return list.holds;
  };
  const inHeads = (t: string): Uint8Array | undefined => {
    const list = entries.postings.get(t);
    if (!list) return undefined;
    if (!list.holds) {
      list.holds = new Uint8Array(entries.docs.length);
      for (let k = 0; k < list.docs.length; k++)
        if (list.tf[k * nf]! > 0 || list.tf[k * nf + 1]! > 0) list.holds[list.docs[k]!] = 1;
    }
    return list.holds;
  };
  /** The within-entry idf of each posting of a term: df is the number of the entry's passages holding it. */
  const localIdfs = (_t: string, list: Postings): Float64Array => {
    if (list.local) return list.local;
    const df = new Map<number, number>();
    for (const d of list.docs) {
      const ei = passages.docs[d]!.entry;
      df.set(ei, (df.get(ei) ?? 0) + 1);
    }
    return (list.local = Float64Array.from(list.docs, (d) => {
      const ei = passages.docs[d]!.entry;
      const n = kb.entries[ei]!.passages.length;
      const k = df.get(ei) ?? 0;
      return n < 2 || k === 0 ? 0 : Math.log(1 + (n - k + 0.5) / (k + 0.5));
    }));
  };
  const facts = data.facts;
  const buildMs = performance.now() - started;

  function queryTerms(query: string): Map<string, QueryTerm> {
    const prepared = prepareQuery(query);
    const terms = new Map<string, QueryTerm>();
    const add = (tokens: Token[], factor: number, stands?: string[]) => {
      for (const t of tokens) {
        const k = key(t);
        // A compound (高中助学金) also brings its parts (高中, 助学金) as terms: it should not count twice over.
        const parts = t.kind === "w" ? splitCompound(t.term) : null;
        const compound = parts !== null && parts.every((p) => dictionary.words.has(p));
        const w = params.kind[t.kind] * factor * (compound ? params.compoundWeight : 1);
        const prev = terms.get(k);
        if (prev) {
          // A repeated term counts a little more, never more than twice its weight.
          prev.weight = Math.min(prev.weight + w * 0.5, params.kind[t.kind] * 2);
          if (stands && prev.stands) prev.stands.push(...stands);
        } else {
          terms.set(k, {
            weight: w,
            idf: entries.idf(k),
            df: entries.df(k),
            kind: t.kind,
            content: !stands && t.content,
            ...(stands ? { stands: [...stands] } : {}),
          });
        }
      }
    };
    add(tok(prepared.text), 1);
    for (const x of prepared.expansions) {
      const own = tokVocab(x.source)
        .filter((t) => t.content)
        .map(key);
      if (own.length > 0) {
        add(tokVocab(x.text), x.weight, own);
        continue;
      }
      // A phrase with no content word of its own (扣了, 先交, 几号还) still says something: it becomes a
      // pseudo-term that counts towards coverage and is matched when one of its expansions is.
      const pseudo = `x:${x.source}`;
      add(tokVocab(x.text), x.weight, [pseudo]);
      const idf = Math.max(
        0,
        ...tokVocab(x.text)
          .filter((t) => t.content)
          .map((t) => entries.idf(key(t))),
      );
      if (!terms.has(pseudo) && idf > 0) terms.set(pseudo, { weight: x.weight, idf, df: 1, kind: "w", content: true });
    }
    return terms;
  }

  function search(query: string, limit = 8, slots: Slots = {}): SearchResult {
    const terms = queryTerms(query);
    const pScores = passages.score(terms, params, (t) => passages.idf(t));
    const eScores = entries.score(terms, params, (t) => entries.idf(t));
    const aScores = params.aspect > 0 ? passages.score(terms, params, () => 0, localIdfs) : NO_SCORES;
    const compact = query.replace(/\s+/g, "");
    const wantedIds = ANSWER_TYPES.flatMap((t, i) => (t.ask.test(compact) ? [i] : []));
    const askedIds = ASPECTS.flatMap((a, i) => (a.test(compact) ? [i] : []));
    const wanted = wantedIds;
    const asked = askedIds;
    // Each variant pair oriented as [pair, asked side] when the question names one side only (side 0 = a, 1 = b).
    const variants = VARIANTS.flatMap(([a, b], i): [number, 0 | 1][] => {
      if (i === 0 && slots.variant) return slots.variant === "寄宿" ? [[i, 0]] : [[i, 1]];
      const hasA = a.test(compact);
      const hasB = b.test(compact);
      return hasA && !hasB ? [[i, 0]] : hasB && !hasA ? [[i, 1]] : [];
    });
    const answersTypeOf = (doc: number) => wantedIds.some((t) => facts[doc]!.types[t]);
    const headingAsks = (doc: number) => askedIds.some((a) => facts[doc]!.headingAspects[a]);
    /** The heading (or, with `text`, the text too) names the other side of a variant pair the question asked. */
    const otherSide = (doc: number, text: boolean) =>
      variants.some(([i, side]) => {
        const h = facts[doc]!.headingSides[i]!;
        const t = facts[doc]!.textSides[i]!;
        return (h[1 - side] && !h[side]) || (text && t[1 - side] && !t[side]);
      });
    const otherGroup = (doc: number) => GROUPS.some((g, gi) => facts[doc]!.groups[gi] && !groupsAsked.has(g));
    // Programmes the question names. 补助 / 资助 name no programme (every topic is one), so they boost no title.
    const named = [...terms]
      .filter(
        ([t, q]) =>
          q.kind === "w" &&
          !q.stands &&
          strongWords.has(t.slice(2)) &&
          !GENERIC.has(t.slice(2)) &&
          !GENERAL_AID.has(t.slice(2)),
      )
      .map(([t]) => t);
    const groupsAsked = new Set(GROUPS.filter((g) => [...terms.keys()].some((k) => k.slice(2).includes(g))));
    const candidates = new Set<number>(pScores.order);
    const wantedTopics = new Set(slots.programmes ?? (slots.programme ? [slots.programme] : []));
    const topic = wantedTopics.size > 0;
    const aspectSlots = slots.aspects ?? [];
    // Whole entries join the candidates only when they rank among the best by their own score (a common word such
    // as 补助 touches nearly every entry): fewer passages scored per reply, the same ones ranked first.
    const entryIds = new Set(
      eScores.order
        .map((ei) => [ei, eScores.sums[ei]!] as const)
        .sort((a, b) => b[1] - a[1])
        .slice(0, CANDIDATE_ENTRIES)
        .map(([ei]) => ei),
    );
    // The programme understood brings its own passages even when the question shares no word with them.
    if (topic) kb.entries.forEach((e, ei) => e.topics.some((t) => wantedTopics.has(t)) && entryIds.add(ei));
    for (const ei of entryIds) {
      const n = kb.entries[ei]!.passages.length;
      for (let i = 0; i < n; i++) candidates.add(firstDoc[ei]! + i);
    }
    const tagged = (doc: number) => {
      const d = passages.docs[doc]!;
      const e = kb.entries[d.entry]!;
      const topics = e.passages[d.index]!.topics ?? e.topics;
      const topicMatch = topic ? (topics.some((t) => wantedTopics.has(t)) ? 1 : topics.length > 0 ? -1 : 0) : 0;
      const own = e.passages[d.index]!.aspects;
      // The first aspect understood is the one asked most directly ("啥时候放款 钱到哪": payment before when).
      const aspectWeight =
        aspectSlots.length === 0
          ? 0
          : own.includes(aspectSlots[0] as never)
            ? 1
            : own.some((a) => aspectSlots.includes(a))
              ? 0.5
              : 0;
      const aspectMatch = aspectWeight > 0;
      const otherLevel =
        slots.levelTopics !== undefined && topics.length > 0 && !topics.some((t) => slots.levelTopics!.has(t));
      return { topicMatch, aspectMatch, aspectWeight, otherLevel };
    };
    const scored: { doc: number; score: number; plain: number }[] = [];
    for (const doc of candidates) {
      const d = passages.docs[doc]!;
      let score =
        (pScores.sums[doc] ?? 0) +
        params.entryBlend * (eScores.sums[d.entry] ?? 0) +
        params.aspect * (aScores.sums[doc] ?? 0);
      score *= 1 + params.positionPrior / (1 + d.index);
      if (answersTypeOf(doc)) score *= 1 + params.answerTypeBoost;
      const namesEntry = named.some((t) => titleTerms[d.entry]!.has(t));
      if (namesEntry) score *= 1 + params.titleBoost;
      // A question that names no programme ("补助发现金吗") is about aid in general: the all-stage topics answer it.
      else if (named.length === 0 && kb.entries[d.entry]!.stage === "全学段") score *= 1 + params.titleBoost / 2;
      if (headingAsks(doc)) score *= 1 + params.headingAspectBoost;
      for (const [i, side] of variants) {
        const h = facts[doc]!.headingSides[i]!;
        if (h[1 - side] && !h[side]) score *= OTHER_VARIANT;
      }
      if (!namesEntry && otherGroup(doc)) score *= OTHER_GROUP;
      const plain = score;
      // Slot match first: the programme and aspect understood, against the KB's tags.
      const tag = tagged(doc);
      if (tag.topicMatch > 0) score *= 1 + params.topicBoost;
      else if (tag.topicMatch < 0 || tag.otherLevel) score *= params.otherTopic;
      if (tag.aspectMatch) score *= 1 + params.aspectTagBoost * tag.aspectWeight;
      scored.push({ doc, score, plain });
    }

    // Coverage over the shortlist: the share (idf-weighted) of the question's own content terms that the passage
    // or its entry's title and keywords contain; a matching expansion credits the words it stands for.
    let total = 0;
    for (const [, q] of terms) if (q.content) total += q.weight * q.idf;
    // Where each query term (and each part of a compound) is found, looked up once per search, not per passage.
    const where = (t: string) => ({ passages: inPassages(t), heads: inHeads(t) });
    const termsWhere = [...terms].map(([t, q]) => {
      const parts = q.kind === "w" ? splitCompound(t.slice(2)) : null;
      return {
        t,
        q,
        at: where(t),
        parts: parts?.map((p) => [where(`w:${p}`), where(`b:${p}`)] as const),
      };
    });
    const isIn = (at: ReturnType<typeof where>, doc: number, entry: number) =>
      at.passages?.[doc] === 1 || at.heads?.[entry] === 1;
    const shortlist: (PassageHit & { doc: number })[] = best(scored, Math.max(limit, 24)).map(({ doc, score }) => {
      const d = passages.docs[doc]!;
      const matched = new Set<string>();
      for (const { t, q, at } of termsWhere) {
        if (q.kind === "u" || !isIn(at, doc, d.entry)) continue;
        matched.add(t);
        for (const s of q.stands ?? []) matched.add(s);
      }
      // A compound the passage spells differently (大学助学金 ↔ 大学国家助学金) counts when its parts are there.
      for (const { t, q, parts } of termsWhere) {
        if (q.kind !== "w" || matched.has(t)) continue;
        if (parts?.every(([w, b]) => isIn(w, doc, d.entry) || isIn(b, doc, d.entry))) matched.add(t);
      }
      let got = 0;
      for (const t of matched) {
        const q = terms.get(t);
        if (q?.content) got += q.weight * q.idf;
      }
      const entry = kb.entries[d.entry]!;
      const coverage = total > 0 ? Math.min(1, got / total) : 0;
      // How much of the question the passage answers is itself evidence: blend it into the score.
      const blended = score * (1 - params.coverageBlend + params.coverageBlend * coverage);
      const answersType = answersTypeOf(doc);
      const answersAspect = headingAsks(doc) || tagged(doc).aspectMatch;
      const otherVariant = otherSide(doc, true) || (!named.some((t) => titleTerms[d.entry]!.has(t)) && otherGroup(doc));
      return {
        entry,
        passage: entry.passages[d.index]!,
        index: d.index,
        score: blended,
        coverage,
        matched,
        answersType,
        answersAspect,
        otherVariant,
        doc,
      };
    });
    shortlist.sort((a, b) => b.score - a.score || a.doc - b.doc);
    // A question that only names a topic ("营养餐", "雨露计划") gets the topic's opening passages, in KB order:
    // writers put the overview and the amounts first.
    const top = shortlist[0];
    if (top) {
      const ei = passages.docs[top.doc]!.entry;
      const own = [...terms].filter(([, q]) => q.content);
      if (asked.length === 0 && own.length > 0 && own.length <= 4 && own.every(([t]) => titleTerms[ei]!.has(t))) {
        const mine = shortlist.filter((x) => passages.docs[x.doc]!.entry === ei).sort((a, b) => a.doc - b.doc);
        const others = shortlist.filter((x) => passages.docs[x.doc]!.entry !== ei);
        shortlist.splice(0, shortlist.length, ...mine, ...others);
      }
    }
    const hits: PassageHit[] = shortlist.slice(0, limit).map(({ doc: _doc, ...h }) => h);
    // A passage ranked first by slot match (programme / aspect tags) may share fewer words with the question than
    // the ones it overtook: the question's coverage is then that of the best passage by words alone, if higher.
    let plainBest = -1;
    let plainCoverage = 0;
    const plainOf = new Float64Array(passages.docs.length);
    for (const x of scored) plainOf[x.doc] = x.plain;
    for (const x of shortlist) {
      const p = plainOf[x.doc]! * (1 - params.coverageBlend + params.coverageBlend * x.coverage);
      if (p > plainBest) [plainBest, plainCoverage] = [p, x.coverage];
    }
    const confidence = Math.max(hits[0]?.coverage ?? 0, topic || aspectSlots.length > 0 ? plainCoverage : 0);
    // Domain evidence: a policy term the user typed, or one a confident expansion stands for (住校 → 寄宿,
    // 不公平 → 异议); weak expansions (钱 → 补助, 卡 → 一卡通) do not count.
    const strong = [...terms].some(
      ([t, q]) =>
        q.kind === "w" &&
        (!q.stands || q.weight >= 0.6 * params.kind.w) &&
        strongWords.has(t.slice(2)) &&
        !GENERIC.has(t.slice(2)),
    );
    let unknownWeight = 0;
    for (const [, q] of terms) if (q.content && q.df === 0) unknownWeight += q.weight * q.idf;
    const unknown = total > 0 ? unknownWeight / total : 0;
    // Coverage alone shows the domain only when it rests on more than one word ("社保怎么交" matches 社保卡).
    const matchedContent = [...(hits[0]?.matched ?? [])].filter((t) => terms.get(t)?.content).length;
    const covered = confidence >= params.domainCoverage && matchedContent >= 2;
    return {
      hits,
      confidence,
      terms,
      domain: strong || covered,
      unknown,
      wantsType: wanted.length > 0,
      asksAspect: asked.length > 0,
    };
  }

  return { kb, dictionary, buildMs, passageCount: passages.docs.length, search };
}

/**
 * The `k` best of `xs` by score, then document, best first — what sorting them all and taking the first `k` gives,
 * without sorting the long tail: only the candidates scoring at least the k-th best score are sorted.
 */
function best<T extends { score: number; doc: number }>(xs: T[], k: number): T[] {
  const byRank = (a: T, b: T) => b.score - a.score || a.doc - b.doc;
  if (xs.length <= k) return [...xs].sort(byRank);
  const kth = Float64Array.from(xs, (x) => x.score).sort()[xs.length - k]!;
  return xs
    .filter((x) => x.score >= kth)
    .sort(byRank)
    .slice(0, k);
}

const cache = new WeakMap<Kb, PolicyIndex>();

/** The index for this knowledge-base object, built on first use and kept for the life of the process. */
export function indexFor(kb: Kb): PolicyIndex {
  let index = cache.get(kb);
  if (!index) {
    const started = performance.now();
    const data = prebuiltFor(kb);
    index = data ? indexFromData(kb, data, { started }) : buildIndex(kb);
    cache.set(kb, index);
  }
  return index;
}
