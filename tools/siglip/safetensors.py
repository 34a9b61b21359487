"""Reads and writes the safetensors format, and reads a Hugging Face folder's weights.

Written here from the published format (there is no Debian package of `safetensors`): 8 bytes
of header length N (unsigned little-endian), N bytes of UTF-8 JSON, then the raw little-endian
tensor data. The header maps each tensor name to `{"dtype", "shape", "data_offsets": [begin,
end]}` (offsets relative to the end of the header) and may hold a `"__metadata__"` object of
strings. Floating-point tensors are returned as float32 (F16 and BF16 widened exactly, F64
narrowed), integer and boolean ones keep their type.

`read_folder(dir)` loads `model.safetensors`, the shards of `model.safetensors.index.json`,
`pytorch_model.bin` or the shards of `pytorch_model.bin.index.json`, in that order of preference.
Every problem raises `FormatError` with a one-line message naming the file.
"""
import json
import struct
from collections import OrderedDict
from pathlib import Path

import numpy as np
import torch

# safetensors dtype -> (NumPy little-endian type to read the bytes as, bytes per element)
DTYPES = {
    "F64": ("<f8", 8), "F32": ("<f4", 4), "F16": ("<f2", 2), "BF16": ("<u2", 2),
    "I64": ("<i8", 8), "I32": ("<i4", 4), "I16": ("<i2", 2), "I8": ("i1", 1),
    "U64": ("<u8", 8), "U32": ("<u4", 4), "U16": ("<u2", 2), "U8": ("u1", 1),
    "BOOL": ("?", 1),
}
# A header larger than this is not a real one (the format's own reader uses the same bound).
MAX_HEADER_BYTES = 100 * 1000 * 1000
SINGLE_FILE = "model.safetensors"
SHARD_INDEX = "model.safetensors.index.json"
TORCH_FILE = "pytorch_model.bin"
TORCH_INDEX = "pytorch_model.bin.index.json"


class FormatError(ValueError):
    """A weights file that cannot be read; the message names the file and what was expected."""


def _header(path, raw, size):
    """Parses and validates the JSON header; returns (entries, metadata, data start)."""
    if size < 8:
        raise FormatError(f"{path}: {size} bytes (expected: at least 8, the header length)")
    (length,) = struct.unpack("<Q", raw.read(8))
    if length > MAX_HEADER_BYTES or 8 + length > size:
        raise FormatError(f"{path}: header length {length} (expected: at most "
                          f"{min(MAX_HEADER_BYTES, size - 8)}; truncated or not safetensors)")
    text = raw.read(length)
    try:
        header = json.loads(text.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, ValueError) as e:
        raise FormatError(f"{path}: header is not valid UTF-8 JSON ({e})") from None
    if not isinstance(header, dict):
        raise FormatError(f"{path}: header is a {type(header).__name__} (expected: an object)")
    metadata = header.pop("__metadata__", None) or {}
    if not isinstance(metadata, dict):
        raise FormatError(f"{path}: __metadata__ is not an object")
    return header, metadata, 8 + length


def _no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError(f"duplicate keys {sorted({k for k in keys if keys.count(k) > 1})}")
    return OrderedDict(pairs)


def _check_entry(path, name, entry, data_size):
    """Validates one tensor's entry; returns (numpy dtype, shape, begin, end)."""
    if not isinstance(entry, dict) or entry.get("dtype") not in DTYPES:
        got = entry.get("dtype") if isinstance(entry, dict) else entry
        raise FormatError(f"{path}: tensor {name!r}: dtype {got!r} "
                          f"(expected: one of {', '.join(DTYPES)})")
    shape, offsets = entry.get("shape"), entry.get("data_offsets")
    if not isinstance(shape, list) or not all(isinstance(d, int) and d >= 0 for d in shape):
        raise FormatError(f"{path}: tensor {name!r}: shape {shape!r} "
                          f"(expected: a list of integers >= 0)")
    if (not isinstance(offsets, list) or len(offsets) != 2
            or not all(isinstance(o, int) for o in offsets) or not 0 <= offsets[0] <= offsets[1]):
        raise FormatError(f"{path}: tensor {name!r}: data_offsets {offsets!r} "
                          f"(expected: [begin, end] with 0 <= begin <= end)")
    np_type, width = DTYPES[entry["dtype"]]
    expected = int(np.prod(shape, dtype=np.int64)) * width
    begin, end = offsets
    if end - begin != expected:
        raise FormatError(f"{path}: tensor {name!r}: {end - begin} bytes for {entry['dtype']} "
                          f"{shape} (expected: {expected})")
    if end > data_size:
        raise FormatError(f"{path}: tensor {name!r} ends at byte {end} of the data, which has "
                          f"only {data_size} (file truncated?)")
    return np_type, shape, begin, end


def _to_tensor(array, dtype_name):
    """NumPy array of the stored type -> torch tensor; floating types become float32."""
    if dtype_name == "BF16":
        # bfloat16 is the top half of a float32: shifting the bits up is exact.
        array = (array.astype(np.uint32) << 16).view(np.float32)
    elif dtype_name in ("F16", "F64"):
        array = array.astype(np.float32)
    elif dtype_name in ("U16", "U32", "U64"):
        array = array.astype(np.int64)  # torch has no unsigned types beyond uint8
    return torch.from_numpy(array.astype(array.dtype.newbyteorder("="), order="C", copy=True))


def read_file(path, with_metadata=False):
    """Tensors of one .safetensors file, in header order; optionally also its __metadata__."""
    path = Path(path)
    try:
        size = path.stat().st_size
        raw = path.open("rb")
    except OSError as e:
        raise FormatError(f"{path}: cannot be read ({e.strerror})") from None
    with raw:
        header, metadata, start = _header(path, raw, size)
        data_size = size - start
        entries = [(name, _check_entry(path, name, entry, data_size))
                   for name, entry in header.items()]
        spans = sorted((begin, end, name) for name, (_, _, begin, end) in entries)
        for (b1, e1, n1), (b2, _, n2) in zip(spans, spans[1:]):
            if b2 < e1:
                raise FormatError(f"{path}: tensors {n1!r} and {n2!r} overlap")
        tensors = OrderedDict()
        for name, (np_type, shape, begin, end) in entries:
            raw.seek(start + begin)
            buf = raw.read(end - begin)
            if len(buf) != end - begin:
                raise FormatError(f"{path}: tensor {name!r}: file truncated")
            array = np.frombuffer(buf, dtype=np_type).reshape(shape)
            tensors[name] = _to_tensor(array, header[name]["dtype"])
    return (tensors, metadata) if with_metadata else tensors


def _dtype_name(tensor):
    names = {torch.float64: "F64", torch.float32: "F32", torch.float16: "F16",
             torch.bfloat16: "BF16", torch.int64: "I64", torch.int32: "I32",
             torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL"}
    if tensor.dtype not in names:
        raise ValueError(f"dtype {tensor.dtype} cannot be written to safetensors")
    return names[tensor.dtype]


def write_file(path, tensors, metadata=None):
    """Writes `tensors` (name -> torch tensor or NumPy array) as a .safetensors file.

    Tensors keep their dtype (write a bfloat16 tensor to get BF16); the header is padded with
    spaces to a multiple of 8 bytes, as the reference writer does, and data follows in order.
    """
    header, chunks, offset = OrderedDict(), [], 0
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    for name, value in tensors.items():
        t = torch.as_tensor(value).detach().cpu().contiguous()
        dtype = _dtype_name(t)
        if t.dtype == torch.bfloat16:
            data = t.view(torch.int16).numpy().astype("<i2").tobytes()
        else:
            data = t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with Path(path).open("wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for chunk in chunks:
            f.write(chunk)


def _read_index(path):
    """The weight_map of a sharded checkpoint's index: {tensor name: shard file name}."""
    try:
        index = json.loads(path.read_text("utf-8"))
        weight_map = index["weight_map"]
        if not isinstance(weight_map, dict) or not weight_map:
            raise ValueError("weight_map is empty or not an object")
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise FormatError(f"{path}: not a shard index with a weight_map ({e})") from None
    return weight_map


def _read_torch(path):
    """A pytorch_model.bin state dict (a torch pickle), floating tensors as float32."""
    try:
        sd = torch.load(str(path), map_location="cpu")
    except Exception as e:  # torch raises many kinds for a bad archive
        raise FormatError(f"{path}: cannot be read by torch.load ({type(e).__name__}: {e})") \
            from None
    if not isinstance(sd, dict):
        raise FormatError(f"{path}: holds a {type(sd).__name__} (expected: a state dict)")
    return OrderedDict((k, v.float() if v.is_floating_point() else v) for k, v in sd.items())


def weight_files(folder):
    """(weight files read_folder reads, in order; the shard index or None)."""
    folder = Path(folder)
    for single, index in ((SINGLE_FILE, SHARD_INDEX), (TORCH_FILE, TORCH_INDEX)):
        if (folder / single).is_file():
            return [folder / single], None
        if (folder / index).is_file():
            shards = sorted(set(_read_index(folder / index).values()))
            return [folder / name for name in shards], folder / index
    raise FormatError(f"{folder}: no weights (expected: {SINGLE_FILE}, {SHARD_INDEX}, "
                      f"{TORCH_FILE} or {TORCH_INDEX})")


def read_folder(folder):
    """The state dict of a Hugging Face model folder (see the module docstring)."""
    files, index = weight_files(folder)
    read = read_file if files[0].name.endswith(".safetensors") else _read_torch
    sd = OrderedDict()
    for f in files:
        for name, tensor in read(f).items():
            if name in sd:
                raise FormatError(f"{f}: tensor {name!r} is also in another shard")
            sd[name] = tensor
    if index is not None:
        missing = sorted(set(_read_index(index)) - set(sd))
        if missing:
            raise FormatError(f"{index}: {len(missing)} tensors of the weight_map are in no "
                              f"shard (first: {missing[0]!r})")
    return sd
