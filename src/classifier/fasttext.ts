import { getFastTextModule } from 'fasttext.wasm.js';

// The one file that speaks to fastText (the WebAssembly build of facebookresearch/fastText, package fasttext.wasm.js):
// supervised training over character n-grams, saving and loading the model, and top-k prediction.
// Each model lives in its own WebAssembly instance: two trainings in one instance share state (measured: a second
// training there scored the first one's held-out writer at 100%).

/** The label and probability pairs of one prediction, most likely first. */
export interface Prediction {
  label: string;
  p: number;
}

export interface TextModel {
  predict(text: string, k: number): Prediction[];
  /** The model file's bytes (fastText's .bin format). */
  bytes(): Uint8Array;
}

/** fastText's supervised training options (the names of its command line). */
export interface TrainOptions {
  lr: number;
  dim: number;
  epoch: number;
  wordNgrams: number;
  minn: number;
  maxn: number;
  bucket: number;
  minCount: number;
  seed: number;
}

interface EmbindVector<T> {
  size(): number;
  get(i: number): T;
  delete?(): void;
}
interface NativeFastText {
  train(args: unknown, callback: () => void): void;
  loadModel(path: string): void;
  saveModel(path: string): void;
  predict(text: string, k: number, threshold: number): EmbindVector<[number, string]>;
}
interface FastTextModule {
  FS: { writeFile(path: string, data: string | Uint8Array): void; readFile(path: string): Uint8Array; unlink(path: string): void };
  FastText: new () => NativeFastText;
  Args: new () => Record<string, unknown>;
  ModelName: Record<string, unknown>;
  LossName: Record<string, unknown>;
}

const LABEL_PREFIX = '__label__';
const MODEL_FILE = 'model.bin';

async function instance(): Promise<FastTextModule> {
  return (await getFastTextModule()) as unknown as FastTextModule;
}

function wrap(mod: FastTextModule, native: NativeFastText): TextModel {
  return {
    predict(text, k) {
      // fastText reads one line: a newline inside the text would end it early.
      const pairs = native.predict(text.replace(/[\r\n]+/g, ' '), k, 0);
      const out: Prediction[] = [];
      for (let i = 0; i < pairs.size(); i++) {
        const [p, label] = pairs.get(i);
        out.push({ label: label.slice(LABEL_PREFIX.length), p });
      }
      pairs.delete?.();
      return out;
    },
    bytes() {
      native.saveModel(MODEL_FILE);
      return mod.FS.readFile(MODEL_FILE);
    },
  };
}

/** Trains a supervised model on (label, text) examples; text must already be one normalised line. */
export async function trainTextModel(examples: { label: string; text: string }[], options: TrainOptions): Promise<TextModel> {
  const mod = await instance();
  mod.FS.writeFile('train.txt', examples.map((e) => `${LABEL_PREFIX}${e.label} ${e.text}`).join('\n') + '\n');
  const args = new mod.Args();
  Object.assign(args, options, { thread: 1, verbose: 0, input: 'train.txt', model: mod.ModelName.supervised, loss: mod.LossName.softmax });
  const native = new mod.FastText();
  native.train(args, () => undefined);
  mod.FS.unlink('train.txt');
  return wrap(mod, native);
}

/** Loads a model from its .bin bytes. */
export async function loadTextModel(bytes: Uint8Array): Promise<TextModel> {
  const mod = await instance();
  mod.FS.writeFile(MODEL_FILE, bytes);
  const native = new mod.FastText();
  native.loadModel(MODEL_FILE);
  return wrap(mod, native);
}
