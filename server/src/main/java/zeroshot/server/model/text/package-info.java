/**
 * Text tokenizing: label prompts become exactly the context length of token ids, as the model's
 * training tokenizer made them ({@link zeroshot.server.model.text.TextTokenizer}, opened from a
 * {@link zeroshot.server.model.text.TokenizerSpec}). Three pipelines: a HuggingFace {@code
 * tokenizer.json} (CLIP), SigLIP's and SigLIP 2's (Gemma's) over SentencePiece models, the
 * segmenting done by DJL's bindings of HuggingFace's tokenizers and of SentencePiece. None needs a
 * deep learning engine, so every runtime shares them.
 */
package zeroshot.server.model.text;
