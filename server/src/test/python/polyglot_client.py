"""A Python client of ZeroShot Serve, built from nothing but the project's .proto file.

Run by PythonClientTest with Debian's python3-grpcio:
    /usr/bin/python3 polyglot_client.py STUBS_DIR PORT IMAGE
STUBS_DIR holds zeroshot/v1/zeroshot_pb2*.py generated at test time by grpc_tools.protoc.
Prints one JSON object: the classification and the error an empty label list gets.
"""
import json
import sys

sys.path.insert(0, sys.argv[1])

import grpc  # noqa: E402
from zeroshot.v1 import zeroshot_pb2, zeroshot_pb2_grpc  # noqa: E402

port, image_path = sys.argv[2], sys.argv[3]
with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
    stub = zeroshot_pb2_grpc.ZeroShotServiceStub(channel)
    with open(image_path, "rb") as f:
        image = zeroshot_pb2.Image(encoded=f.read())
    response = stub.Classify(
        zeroshot_pb2.ClassifyRequest(
            image=image,
            labels=["blue diamond", "red circle", "green star"],
            prompt_template="a photo of a {}",
            top_k=2,
        ),
        timeout=30,
    )
    result = {
        "model": response.model,
        "scores": [{"label": s.label, "probability": s.probability, "cosine": s.cosine}
                   for s in response.scores],
    }
    try:
        stub.Classify(zeroshot_pb2.ClassifyRequest(image=image, labels=[]), timeout=30)
        result["empty_labels"] = {"code": "OK"}
    except grpc.RpcError as e:
        result["empty_labels"] = {"code": e.code().name, "details": e.details()}
print(json.dumps(result))
