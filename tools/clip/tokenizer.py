"""Builds CLIP's tokenizer as a Hugging Face `tokenizer.json` from OpenAI's BPE merges file.

OpenAI's `simple_tokenizer.py` does, per text: ftfy.fix_text, html.unescape (twice), strip,
collapse whitespace, lowercase; split with one regular expression; map each piece's UTF-8 bytes
to printable characters (GPT-2's byte table); run BPE with `</w>` on the last character; wrap in
`<|startoftext|>` (49406) and `<|endoftext|>` (49407). `clip.tokenize` pads with 0 to 77 ids and,
with truncate=True, keeps the end token at position 76.

The JSON below expresses the same steps in the tokenizers library's terms (the layout Hugging
Face's CLIPTokenizerFast uses), except ftfy and html.unescape, which that library cannot express:
it undoes the eight most common HTML entities (`&amp;`, `&lt;`, ...) and NFC-normalises, but
texts with mojibake or other entities (`&eacute;`, `&#233;`) may tokenize differently from
OpenAI's (see README.md). The vocabulary is built exactly as OpenAI builds it, so the ids are OpenAI's.
"""
import gzip
import html
import json
import re
import unicodedata
from pathlib import Path

MERGES_FILE = Path(__file__).resolve().parent / "bpe_simple_vocab_16e6.txt.gz"
START_TOKEN = "<|startoftext|>"
END_TOKEN = "<|endoftext|>"
CONTEXT_LENGTH = 77
OPENAI_PAD_ID = 0
# OpenAI keeps merges[1 : 49152 - 256 - 2 + 1] (line 0 is the version header).
MERGE_COUNT = 49152 - 256 - 2

# OpenAI's pattern (re.IGNORECASE is moot: the text is lowercased first).
PATTERN = (r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d"
           r"|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+")


def bytes_to_unicode():
    """GPT-2's table from each byte to a printable character, in OpenAI's (insertion) order."""
    bs = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
          + list(range(ord("®"), ord("ÿ") + 1)))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def read_merges(path=MERGES_FILE):
    """The merge pairs OpenAI uses, in rank order, as (left, right) tuples."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        lines = f.read().split("\n")
    pairs = [tuple(line.split()) for line in lines[1:MERGE_COUNT + 1]]
    if len(pairs) != MERGE_COUNT or any(len(p) != 2 for p in pairs):
        raise ValueError(f"{path}: expected {MERGE_COUNT} merge pairs after the header")
    return pairs


def build_vocab(merges):
    """OpenAI's vocabulary: bytes, bytes + `</w>`, one entry per merge, then the two specials."""
    byte_chars = list(bytes_to_unicode().values())
    tokens = byte_chars + [c + "</w>" for c in byte_chars]
    tokens += ["".join(pair) for pair in merges]
    tokens += [START_TOKEN, END_TOKEN]
    return {token: i for i, token in enumerate(tokens)}


# The HTML entities html.unescape would turn up in captions most often; "&amp;" first, so the
# double escaping OpenAI undoes ("&amp;lt;") comes out right. Other entities stay as written.
HTML_ENTITIES = [("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'"),
                 ("&#x27;", "'"), ("&apos;", "'"), ("&nbsp;", "\u00a0")]


def _entity_replacements():
    return [{"type": "Replace", "pattern": {"String": entity}, "content": text}
            for entity, text in HTML_ENTITIES]


def _special(token, token_id):
    return {"id": token_id, "content": token, "single_word": False, "lstrip": False,
            "rstrip": False, "normalized": True, "special": True}


def build_tokenizer_json(merges_path=MERGES_FILE, pad_id=OPENAI_PAD_ID,
                         context_length=CONTEXT_LENGTH):
    """The tokenizer as a dict in the tokenizers library's `tokenizer.json` layout."""
    merges = read_merges(merges_path)
    vocab = build_vocab(merges)
    id_to_token = {i: t for t, i in vocab.items()}
    start, end = vocab[START_TOKEN], vocab[END_TOKEN]
    return {
        "version": "1.0",
        "truncation": {"direction": "Right", "max_length": context_length,
                       "strategy": "LongestFirst", "stride": 0},
        "padding": {"strategy": {"Fixed": context_length}, "direction": "Right",
                    "pad_to_multiple_of": None, "pad_id": pad_id, "pad_type_id": 0,
                    "pad_token": id_to_token[pad_id]},
        "added_tokens": [_special(START_TOKEN, start), _special(END_TOKEN, end)],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFC"},  # ftfy.fix_text's last step; the rest of ftfy has no equivalent
            *_entity_replacements(),
            {"type": "Replace", "pattern": {"Regex": r"\s+"}, "content": " "},
            {"type": "Lowercase"},
        ]},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": PATTERN}, "behavior": "Removed",
             "invert": True},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
             "use_regex": False},
        ]},
        "post_processor": {"type": "RobertaProcessing", "sep": [END_TOKEN, end],
                           "cls": [START_TOKEN, start], "trim_offsets": False,
                           "add_prefix_space": False},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True,
                    "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None,
                  "continuing_subword_prefix": "", "end_of_word_suffix": "</w>",
                  "fuse_unk": False, "byte_fallback": False, "vocab": vocab,
                  "merges": [" ".join(pair) for pair in merges]},
    }


def write_tokenizer_json(path, pad_id=OPENAI_PAD_ID, merges_path=MERGES_FILE):
    """Writes `tokenizer.json` to `path` (UTF-8, no ASCII escaping)."""
    data = build_tokenizer_json(merges_path, pad_id)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def clean(text):
    """OpenAI's cleaning without ftfy: html.unescape twice, collapse whitespace, lowercase."""
    text = html.unescape(html.unescape(text)).strip()
    return re.sub(r"\s+", " ", text).strip().lower()


def _is_letter(ch):
    return unicodedata.category(ch).startswith("L")


def _is_number(ch):
    return unicodedata.category(ch).startswith("N")


def split_words(text):
    """The pieces OpenAI's regular expression finds, in order (Python's re lacks \\p{L})."""
    pieces, i = [], 0
    while i < len(text):
        ch = text[i]
        special = next((s for s in (START_TOKEN, END_TOKEN) if text.startswith(s, i)), None)
        contraction = next((c for c in ("'s", "'t", "'re", "'ve", "'m", "'ll", "'d")
                            if text.startswith(c, i)), None)
        j = i + 1
        if special or contraction:
            j = i + len(special or contraction)
        elif _is_letter(ch):
            while j < len(text) and _is_letter(text[j]):
                j += 1
        elif _is_number(ch):
            pass
        elif not ch.isspace():
            while j < len(text) and not (text[j].isspace() or _is_letter(text[j])
                                         or _is_number(text[j])):
                j += 1
        else:
            i = j
            continue
        pieces.append(text[i:j])
        i = j
    return pieces


class ClipTokenizer:
    """A plain-Python CLIP tokenizer: the ids the exported model is checked with in Python."""

    def __init__(self, merges_path=MERGES_FILE):
        merges = read_merges(merges_path)
        self.vocab = build_vocab(merges)
        self.ranks = {pair: i for i, pair in enumerate(merges)}
        self.byte_chars = bytes_to_unicode()
        self.cache = {START_TOKEN: [START_TOKEN], END_TOKEN: [END_TOKEN]}

    def _bpe(self, piece):
        if piece in self.cache:
            return self.cache[piece]
        word = list(piece[:-1]) + [piece[-1] + "</w>"]
        while len(word) > 1:
            pairs = [(self.ranks.get((a, b), len(self.ranks)), k)
                     for k, (a, b) in enumerate(zip(word, word[1:]))]
            rank, _ = min(pairs)
            if rank == len(self.ranks):
                break
            merged, k = [], 0
            while k < len(word):
                if (k + 1 < len(word) and self.ranks.get((word[k], word[k + 1])) == rank):
                    merged.append(word[k] + word[k + 1])
                    k += 2
                else:
                    merged.append(word[k])
                    k += 1
            word = merged
        self.cache[piece] = word
        return word

    def encode(self, text):
        """Token ids of one text, without the start and end tokens."""
        ids = []
        for piece in split_words(clean(text)):
            if piece not in (START_TOKEN, END_TOKEN):
                piece = "".join(self.byte_chars[b] for b in piece.encode("utf-8"))
            ids.extend(self.vocab[t] for t in self._bpe(piece))
        return ids

    def tokenize(self, text, context_length=CONTEXT_LENGTH, pad_id=OPENAI_PAD_ID):
        """`clip.tokenize(text, truncate=True)`: start, ids, end, padded to the context length."""
        ids = [self.vocab[START_TOKEN]] + self.encode(text) + [self.vocab[END_TOKEN]]
        if len(ids) > context_length:
            ids = ids[:context_length - 1] + [self.vocab[END_TOKEN]]
        return ids + [pad_id] * (context_length - len(ids))


def main():
    """`tokenizer.py OUT [--pad-id N]`: writes CLIP's tokenizer.json."""
    import argparse
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("out", type=Path, help="where to write tokenizer.json")
    parser.add_argument("--pad-id", type=int, default=OPENAI_PAD_ID,
                        help="id after the end token (OpenAI: 0, Hugging Face: 49407)")
    args = parser.parse_args()
    write_tokenizer_json(args.out, args.pad_id)


if __name__ == "__main__":
    main()
