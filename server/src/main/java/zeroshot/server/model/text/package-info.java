/**
 * Text tokenizing: a model's HuggingFace {@code tokenizer.json} turns label prompts into exactly
 * the context length of token ids ({@link zeroshot.server.model.text.TextTokenizer}). It runs
 * without a deep learning engine, so every runtime shares it.
 */
package zeroshot.server.model.text;
