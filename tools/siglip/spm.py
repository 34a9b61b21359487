"""Reads the piece list of a SentencePiece model file (a serialised ModelProto), to find the
ids of special pieces such as `</s>` or `<pad>` without the sentencepiece package.

Only what that needs of the protobuf wire format: ModelProto field 1 holds the pieces in id
order, each a message whose field 1 is the piece (UTF-8) and field 3 its type; every other field
is skipped by its wire type.
"""
from pathlib import Path

# SentencePiece's ModelProto.SentencePiece.Type values
PIECE_TYPES = {1: "normal", 2: "unknown", 3: "control", 4: "user_defined", 5: "unused",
               6: "byte"}


class SpmError(ValueError):
    """Not a SentencePiece model file."""


def _varint(data, pos):
    result, shift = 0, 0
    while True:
        if pos >= len(data) or shift > 63:
            raise SpmError("varint runs past the end")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def _fields(data):
    """(field number, wire type, value) of one message; value is bytes for wire type 2."""
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(data, pos)
        elif wire == 1:
            value, pos = data[pos:pos + 8], pos + 8
        elif wire == 2:
            length, pos = _varint(data, pos)
            value, pos = data[pos:pos + length], pos + length
        elif wire == 5:
            value, pos = data[pos:pos + 4], pos + 4
        else:
            raise SpmError(f"wire type {wire} of field {number} is not supported")
        if pos > len(data) or number == 0:
            raise SpmError("message runs past the end")
        yield number, wire, value


def read_pieces(path):
    """[(piece, type name)] in id order; raises SpmError for a file that is not a model."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise SpmError(f"{path}: cannot be read ({e.strerror})") from None
    pieces = []
    try:
        for number, wire, value in _fields(data):
            if number != 1 or wire != 2:
                continue
            piece, kind = None, 1
            for n, w, v in _fields(value):
                if n == 1 and w == 2:
                    piece = v.decode("utf-8")
                elif n == 3 and w == 0:
                    kind = v
            if piece is None:
                raise SpmError("a piece without its text")
            pieces.append((piece, PIECE_TYPES.get(kind, str(kind))))
    except (SpmError, UnicodeDecodeError) as e:
        raise SpmError(f"{path}: not a SentencePiece model ({e})") from None
    if not pieces:
        raise SpmError(f"{path}: not a SentencePiece model (no pieces)")
    return pieces


def piece_id(pieces, piece, path):
    """The id of `piece`; raises SpmError naming the file when it has none."""
    for i, (p, _) in enumerate(pieces):
        if p == piece:
            return i
    raise SpmError(f"{path}: has no piece {piece!r}")
