#!/usr/bin/python3
"""Exits 0 when the gRPC health service at TARGET says SERVING for the server as a whole.

Usage: health.py TARGET   (e.g. 127.0.0.1:50551). Exit 0 SERVING, 1 not (yet), 2 no python grpc.
The messages are encoded by hand (HealthCheckRequest{service=""} is empty; a SERVING response is
field 1 = 1) so that only python3-grpcio is needed, not the health stubs.
"""
import sys

try:
    import grpc
except ImportError:
    sys.exit(2)

SERVING = b"\x08\x01"

with grpc.insecure_channel(sys.argv[1]) as channel:
    check = channel.unary_unary("/grpc.health.v1.Health/Check")
    try:
        sys.exit(0 if check(b"", timeout=2) == SERVING else 1)
    except grpc.RpcError:
        sys.exit(1)
