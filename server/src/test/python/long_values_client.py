"""Calls ZeroShot Serve with 100 KB values where errors echo them, from Python.

Run by PythonClientTest with Debian's python3-grpcio:
    /usr/bin/python3 long_values_client.py STUBS_DIR PORT
The server holds 100 label sets. Prints one JSON object: for each case, the status code and the
details (message) the Python client got. Python's gRPC refuses response headers over 8 KiB by
default, so an unbounded echo shows up here as RESOURCE_EXHAUSTED instead of the real code.
"""
import json
import sys

sys.path.insert(0, sys.argv[1])

import grpc  # noqa: E402
from zeroshot.v1 import zeroshot_pb2 as pb, zeroshot_pb2_grpc  # noqa: E402

LONG = "x" * (100 * 1024)
LABEL = "y" * 256  # the longest label allowed

with grpc.insecure_channel(f"127.0.0.1:{sys.argv[2]}") as channel:
    stub = zeroshot_pb2_grpc.ZeroShotServiceStub(channel)

    def classify(**fields):
        base = {"text": "a cat", "labels": ["cat", "dog"]}
        base.update(fields)
        return lambda: stub.Classify(pb.ClassifyRequest(**base), timeout=30)

    def put(name="a", model="", labels=("cat",), templates=()):
        entries = [pb.LabelSetEntry(label=label) for label in labels]
        label_set = pb.LabelSet(name=name, model=model, labels=entries,
                                prompt_templates=list(templates))
        return lambda: stub.PutLabelSet(pb.PutLabelSetRequest(label_set=label_set), timeout=30)

    cases = {
        "Classify model": classify(model=LONG),
        "Classify label_set": classify(labels=[], label_set=LONG),
        "Classify prompt_template": classify(prompt_template=LONG),
        "Classify duplicate label": classify(labels=[LABEL, LABEL]),
        "Classify text": classify(text=LONG),
        "EmbedTexts model": lambda: stub.EmbedTexts(
            pb.EmbedTextsRequest(model=LONG, texts=["a"]), timeout=30),
        "PutLabelSet name": put(name=LONG),
        "PutLabelSet model": put(model=LONG),
        "PutLabelSet template": put(templates=[LABEL]),
        "GetLabelSet name": lambda: stub.GetLabelSet(
            pb.GetLabelSetRequest(name=LONG), timeout=30),
        "GetLabelSet among 100": lambda: stub.GetLabelSet(
            pb.GetLabelSetRequest(name="nope"), timeout=30),
        "DeleteLabelSet name": lambda: stub.DeleteLabelSet(
            pb.DeleteLabelSetRequest(name=LONG), timeout=30),
        "ListLabelSets model": lambda: stub.ListLabelSets(
            pb.ListLabelSetsRequest(model=LONG), timeout=30),
    }
    result = {}
    for name, call in cases.items():
        try:
            call()
            result[name] = {"code": "OK", "details": ""}
        except grpc.RpcError as e:
            result[name] = {"code": e.code().name, "details": e.details() or ""}
print(json.dumps(result))
