# GENERATED from tinker_public.proto by codegen/generate.py (protoc of grpcio-tools). DO NOT EDIT.
# Change tinker_public.proto or codegen/ and run `nox -s codegen` instead.
"""Protobuf messages of tinker_public.proto (the binary bodies of the Tinker API)."""
