"""Captions, vocabulary and the word-level tokenizer shared by training and the server.

The tokenizer here and the `tokenizer.json` written by `write_tokenizer_json` must agree token
for token: NFKC + lowercase, then HuggingFace's `Whitespace` pre-tokenizer (regex
`\\w+|[^\\w\\s]+`), word-level lookup with [UNK], truncation and padding with [PAD] = 0 to
CONTEXT_LENGTH. The Java tests check the agreement on reference texts.
"""
import json
import re
import unicodedata

from shapes import COLOUR_NAMES, SHAPES

CONTEXT_LENGTH = 16
PAD, UNK = "[PAD]", "[UNK]"
PAD_ID, UNK_ID = 0, 1

FASHION_CLASSES = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt",
                   "sneaker", "bag", "ankle boot"]
FASHION_SYNONYMS = [
    ["t-shirt", "tee", "t-shirt top", "top"],
    ["trouser", "trousers", "pants", "jeans"],
    ["pullover", "sweater", "jumper"],
    ["dress", "gown", "frock"],
    ["coat", "jacket", "overcoat"],
    ["sandal", "sandals", "flip flop"],
    ["shirt", "button-down shirt", "blouse"],
    ["sneaker", "sneakers", "trainer", "running shoe"],
    ["bag", "handbag", "purse"],
    ["ankle boot", "boot", "boots"],
]
FASHION_TEMPLATES = ["a photo of a {}", "a {}", "a picture of a {}", "a photo of the {}",
                     "a black and white photo of a {}", "{}", "an image of a {}"]
# Full captions name colour and shape; partial ones name one of them and are positives of
# every image that has that colour (or shape).
SHAPE_TEMPLATES = ["a photo of a {c} {s}", "a {c} {s}", "a {s} that is {c}", "{c} {s}",
                   "a picture of a {c} {s}", "a drawing of a {c} {s}", "the {s} is {c}",
                   "a {c} {s} shape"]
COLOUR_ONLY_TEMPLATES = ["a {c} shape", "something {c}", "a photo of a {c} shape"]
SHAPE_ONLY_TEMPLATES = ["a {s}", "a photo of a {s}", "a {s} shape"]

# Prompts used by the evaluation (and by users of the demo).
EVAL_FASHION_PROMPT = "a photo of a {}"
EVAL_PAIR_PROMPT = "a photo of a {c} {s}"
EVAL_COLOUR_PROMPT = "a photo of a {c} shape"
EVAL_SHAPE_PROMPT = "a photo of a {s}"

_WORD = re.compile(r"\w+|[^\w\s]+")


def normalise(text):
    return unicodedata.normalize("NFKC", text).lower()


def words(text):
    return _WORD.findall(normalise(text))


def build_vocab():
    texts = []
    for syns in FASHION_SYNONYMS:
        for name in syns:
            texts += [t.format(name) for t in FASHION_TEMPLATES]
    for c in COLOUR_NAMES:
        for s in SHAPES:
            texts += [t.format(c=c, s=s) for t in SHAPE_TEMPLATES]
            texts += [t.format(s=s) for t in SHAPE_ONLY_TEMPLATES]
        texts += [t.format(c=c) for t in COLOUR_ONLY_TEMPLATES]
    vocab = {PAD: PAD_ID, UNK: UNK_ID}
    for w in sorted({w for t in texts for w in words(t)}):
        vocab[w] = len(vocab)
    return vocab


def encode(vocab, text):
    ids = [vocab.get(w, UNK_ID) for w in words(text)][:CONTEXT_LENGTH]
    return ids + [PAD_ID] * (CONTEXT_LENGTH - len(ids))


def write_tokenizer_json(vocab, path):
    special = [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                "normalized": False, "special": True} for t, i in ((PAD, PAD_ID), (UNK, UNK_ID))]
    doc = {
        "version": "1.0",
        "truncation": {"direction": "Right", "max_length": CONTEXT_LENGTH,
                       "strategy": "LongestFirst", "stride": 0},
        "padding": {"strategy": {"Fixed": CONTEXT_LENGTH}, "direction": "Right",
                    "pad_to_multiple_of": None, "pad_id": PAD_ID, "pad_type_id": 0,
                    "pad_token": PAD},
        "added_tokens": special,
        "normalizer": {"type": "Sequence",
                       "normalizers": [{"type": "NFKC"}, {"type": "Lowercase"}]},
        "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": None,
        "decoder": None,
        "model": {"type": "WordLevel", "vocab": vocab, "unk_token": UNK},
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
