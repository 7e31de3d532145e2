/**
 * A small learned intent classifier: multinomial naive Bayes over character 1–3-grams of the canonical message,
 * trained from the labelled examples in prompts/intents/<intent>.txt when first used (deterministic: same files,
 * same model). It decides only what the regex rules of route.ts leave open, and only when its posterior clears
 * `threshold`; the rules (crisis, privacy, injection, commands) stay in front as overrides.
 *
 * Why naive Bayes: a few hundred short examples, no dependency, training and scoring in well under a millisecond
 * per message, and a posterior that can be thresholded.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { canonical } from "../policy/segment";
import { INTENTS, type Intent } from "./route";

export interface Classification {
  intent: Intent;
  /** Posterior probability of `intent`. */
  confidence: number;
}

export interface IntentClassifier {
  classify(text: string): Classification;
  readonly examples: number;
}

/** The character n-grams of a message (with start/end marks, so "^你好$" differs from "你好吗"). */
export function features(text: string): string[] {
  const chars = Array.from(`^${canonical(text).replace(/ /g, "")}$`);
  const out: string[] = [];
  for (let n = 1; n <= 3; n++) for (let i = 0; i + n <= chars.length; i++) out.push(chars.slice(i, i + n).join(""));
  return out;
}

export function train(examples: readonly { intent: Intent; text: string }[]): IntentClassifier {
  const counts = new Map<Intent, Map<string, number>>();
  const totals = new Map<Intent, number>();
  const docs = new Map<Intent, number>();
  const vocab = new Set<string>();
  for (const e of examples) {
    const m = counts.get(e.intent) ?? new Map<string, number>();
    counts.set(e.intent, m);
    docs.set(e.intent, (docs.get(e.intent) ?? 0) + 1);
    for (const f of features(e.text)) {
      m.set(f, (m.get(f) ?? 0) + 1);
      totals.set(e.intent, (totals.get(e.intent) ?? 0) + 1);
      vocab.add(f);
    }
  }
  const labels = INTENTS.filter((i) => docs.has(i));
  const v = vocab.size;
  const n = examples.length;
  /** Per feature of the vocabulary, its log-likelihood under each label (worked out the first time it is seen). */
  const likelihoods = new Map<string, Float64Array>();
  const likelihood = (f: string): Float64Array => {
    let l = likelihoods.get(f);
    if (!l) {
      l = Float64Array.from(labels, (label) =>
        Math.log(((counts.get(label)!.get(f) ?? 0) + 1) / (totals.get(label)! + v)),
      );
      likelihoods.set(f, l);
    }
    return l;
  };
  return {
    examples: n,
    classify(text) {
      const fs = features(text)
        .filter((f) => vocab.has(f))
        .map(likelihood);
      const logp = labels.map((_, li) => {
        // Uniform class prior: the example files are not sized by how often parents send each intent.
        let s = 0;
        for (const l of fs) s += l[li]!;
        return s;
      });
      const max = Math.max(...logp);
      const exp = logp.map((x) => Math.exp(x - max));
      const z = exp.reduce((a, b) => a + b, 0);
      let best = 0;
      for (let i = 1; i < labels.length; i++) if (exp[i]! > exp[best]!) best = i;
      return { intent: labels[best]!, confidence: exp[best]! / z };
    },
  };
}

/** prompts/intents next to the sources or next to a bundle (as core/policy/kb.ts finds prompts/kb). */
export function defaultIntentsDir(): string {
  const candidates = ["../../prompts/intents/", "./prompts/intents/", "../prompts/intents/"].map((rel) =>
    fileURLToPath(new URL(rel, import.meta.url)),
  );
  return candidates.find((dir) => existsSync(dir) && statSync(dir).isDirectory()) ?? candidates[0]!;
}

/** Reads `<intent>.txt` files: one example a line, `#` comments. Unknown file names are an error. */
export function loadExamples(dir: string = defaultIntentsDir()): { intent: Intent; text: string }[] {
  const out: { intent: Intent; text: string }[] = [];
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith(".txt"))
    .sort()) {
    const intent = f.slice(0, -4) as Intent;
    if (!(INTENTS as readonly string[]).includes(intent))
      throw new Error(`${join(dir, f)}: not an intent name (${INTENTS.join(", ")})`);
    for (const line of readFileSync(join(dir, f), "utf8").split(/\r?\n/)) {
      const t = line.replace(/#.*$/, "").trim();
      if (t) out.push({ intent, text: t });
    }
  }
  return out;
}

let shared: IntentClassifier | undefined;

/** The classifier trained on prompts/intents, built once per process. */
export function intentClassifier(): IntentClassifier {
  return (shared ??= train(loadExamples()));
}

/** Posterior at or above which the classifier's decision is taken. */
export const CLASSIFIER_THRESHOLD = 0.99;
