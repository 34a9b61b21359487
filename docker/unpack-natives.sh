#!/usr/bin/env bash
# Unpacks the natives the GPU image loads into a DJL cache, in the layout DJL reads, so that the
# cache can be read-only and a pod starts without writing gigabytes (Dockerfile.gpu's build stage).
#
#   docker/unpack-natives.sh M2_REPOSITORY SERVER_JAR CACHE_DIR
#
#   M2_REPOSITORY  the Maven repository that `mvn -Pcuda package` filled (it holds the cu124 jar)
#   SERVER_JAR     server/target/zeroshot-server.jar; its pytorch.properties names the build date
#   CACHE_DIR      the DJL cache to fill (DJL_CACHE_DIR in the image)
#
# Environment: LIBTORCH (default 2.5.1) and DJL (default 0.33.0), the versions the pom pins. They
# are deliberately not called PYTORCH_VERSION: DJL reads that variable and downloads when it
# differs from the jar's version.
#
# Result, for the image's PYTORCH_LIBRARY_PATH=CACHE_DIR/pytorch/cu124 and PYTORCH_FLAVOR=cu124:
#   CACHE_DIR/pytorch/cu124/                                   libtorch cu124 and its CUDA libraries
#   CACHE_DIR/pytorch/<version>-cu124-linux-x86_64/<djl>-libdjl_torch.so    DJL's JNI library
#   CACHE_DIR/tokenizers/<version>-cpu-linux-x86_64/libtokenizers.so        the tokenizer library
# Why not let DJL pick the cu124 build from the jar: the CPU and cu124 native jars both carry
# native/lib/pytorch.properties and the shaded jar keeps one (the CPU one), and DJL unpacks
# natives only on first start. docs/deploy.md has the details and how this was checked.
set -euo pipefail

if [[ $# -ne 3 ]]; then
  echo "usage: $0 M2_REPOSITORY SERVER_JAR CACHE_DIR" >&2
  exit 2
fi
m2="$1/ai/djl"
server_jar="$2"
cache="$3"
libtorch="${LIBTORCH:-2.5.1}"
djl="${DJL:-0.33.0}"

native_jar="$m2/pytorch/pytorch-native-cu124/$libtorch/pytorch-native-cu124-$libtorch-linux-x86_64.jar"
jni_jar="$m2/pytorch/pytorch-jni/$libtorch-$djl/pytorch-jni-$libtorch-$djl.jar"
tokenizers_jar="$m2/huggingface/tokenizers/$djl/tokenizers-$djl.jar"
for jar in "$server_jar" "$native_jar" "$jni_jar" "$tokenizers_jar"; do
  if [[ ! -f "$jar" ]]; then
    echo "$0: $jar: missing (expected: built or resolved by 'mvn -Pcuda -pl server -am package')" >&2
    exit 1
  fi
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

# The build date in the version (2.5.1-20241113) names DJL's JNI folder.
jar xf "$server_jar" native/lib/pytorch.properties
version="$(sed -n 's/^version=//p' native/lib/pytorch.properties)"
if [[ -z "$version" ]]; then
  echo "$0: $server_jar: no version in native/lib/pytorch.properties" >&2
  exit 1
fi

mkdir -p "$cache/pytorch/cu124" "$cache/pytorch/$version-cu124-linux-x86_64"
jar xf "$native_jar" pytorch/cu124/linux-x86_64
mv pytorch/cu124/linux-x86_64/* "$cache/pytorch/cu124/"
for lib in libtorch.so libtorch_cuda.so; do
  if [[ ! -f "$cache/pytorch/cu124/$lib" ]]; then
    echo "$0: $native_jar: no pytorch/cu124/linux-x86_64/$lib (expected: DJL's cu124 natives)" >&2
    exit 1
  fi
done

jar xf "$jni_jar" jnilib/linux-x86_64/cu124/libdjl_torch.so
mv jnilib/linux-x86_64/cu124/libdjl_torch.so \
  "$cache/pytorch/$version-cu124-linux-x86_64/$djl-libdjl_torch.so"

jar xf "$tokenizers_jar" native/lib/tokenizers.properties native/lib/linux-x86_64/cpu/libtokenizers.so
tokenizers_version="$(sed -n 's/^version=//p' native/lib/tokenizers.properties)"
mkdir -p "$cache/tokenizers/$tokenizers_version-cpu-linux-x86_64"
mv native/lib/linux-x86_64/cpu/libtokenizers.so "$cache/tokenizers/$tokenizers_version-cpu-linux-x86_64/"

echo "unpacked libtorch $version cu124, DJL $djl JNI and tokenizers $tokenizers_version into $cache"
