"""Generate generated/tinker_ext_raw from openapi.yaml (openapi-python-client) and tinker_public.proto
(protoc from grpcio-tools), both pinned in noxfile.py; the spec itself goes along as JSON (openapi_spec.py).

    python codegen/generate.py            regenerate generated/tinker_ext_raw
    python codegen/generate.py --check    regenerate into a temp dir; print a unified diff and exit 1 on drift

Independent of the cwd: every path is resolved from this file. The generator and ruff are taken from the
interpreter's environment (its bin dir is put first on PATH, so the pinned ruff runs the post-hooks).
"""

from __future__ import annotations

import argparse
import difflib
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "openapi.yaml"
PROTO = REPO / "tinker_public.proto"
CONFIG = REPO / "codegen" / "config.yaml"
TEMPLATES = REPO / "codegen" / "templates"
PACKAGE = "tinker_ext_raw"
TARGET = REPO / "generated" / PACKAGE

HEADER = (
    "# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.\n"
    "# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.\n"
)
PROTO_HEADER = (
    "# GENERATED from tinker_public.proto by codegen/generate.py (protoc of grpcio-tools). DO NOT EDIT.\n"
    "# Change tinker_public.proto or codegen/ and run `nox -s codegen` instead.\n"
)
# Written by this script (the generator omits it with --meta none); PEP 561 only looks for "partial".
PY_TYPED = HEADER


def _generator_env() -> dict[str, str]:
    env = dict(os.environ)
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    return env


def _generator_exe() -> str:
    exe = Path(sys.executable).parent / "openapi-python-client"
    if exe.exists():
        return str(exe)
    found = shutil.which("openapi-python-client")
    if found is None:
        sys.exit("openapi-python-client not found: pip install openapi-python-client==0.29.1 ruff==0.17.6")
    return found


def generate_into(out_dir: Path) -> Path:
    """Run the generator into out_dir/<package> and return that package dir."""
    pkg = out_dir / PACKAGE
    cmd = [
        _generator_exe(),
        "generate",
        "--path",
        str(SPEC),
        "--config",
        str(CONFIG),
        "--meta",
        "none",
        "--output-path",
        str(pkg),
        "--overwrite",
        "--fail-on-warning",
    ]
    if TEMPLATES.is_dir():
        cmd += ["--custom-template-path", str(TEMPLATES)]
    proc = subprocess.run(cmd, cwd=out_dir, env=_generator_env(), capture_output=True, text=True)
    # "Skipping Integration ... ruff is not in PATH" is only a warning for the generator: treat it as fatal,
    # unformatted output would fail the drift check in a confusing way.
    if proc.returncode != 0 or "not in PATH" in proc.stdout + proc.stderr:
        sys.stdout.write(proc.stdout)
        sys.stderr.write(proc.stderr)
        sys.exit(f"openapi-python-client failed (exit {proc.returncode})")
    _generate_proto(pkg / "proto")
    _stamp(pkg)
    _write_spec_module(pkg / "openapi_spec.py")
    _generate_public_types(pkg / "public")
    _generate_endpoints(pkg / "endpoints.py")
    return pkg


def _write_spec_module(target: Path) -> None:
    """openapi.yaml as a JSON string in a module, read by `tinker-ext contract` (no YAML parser at run time;
    a module, so it carries the do-not-edit header like every generated file)."""
    document = _load_spec()
    text = json.dumps(document, indent=1, ensure_ascii=False)
    if '"""' in text:
        sys.exit("codegen: openapi.yaml as JSON contains a triple quote; cannot embed it")
    target.write_text(
        HEADER + '"""openapi.yaml as JSON (for tinker_ext.contract)."""\n\nSPEC_JSON = r"""' + text + '"""\n',
        encoding="utf-8",
    )


def _load_spec() -> Any:
    from ruamel.yaml import YAML  # a dependency of openapi-python-client

    return YAML(typ="safe", pure=True).load(SPEC.read_text(encoding="utf-8"))


def _codegen_module(name: str) -> Any:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    try:
        return __import__(name)
    finally:
        sys.path.pop(0)


def _generate_endpoints(target: Path) -> None:
    """The typed endpoint table (codegen/endpoints_gen.py), formatted like the public types."""
    target.write_text(_codegen_module("endpoints_gen").render(_load_spec()), encoding="utf-8")
    _ruff_format(target)


def _generate_public_types(out: Path) -> None:
    """The public type classes (codegen/types_gen.py), formatted by the pinned ruff like the rest."""
    out.mkdir(parents=True, exist_ok=True)
    for name, source in _codegen_module("types_gen").render(_load_spec()).items():
        (out / name).write_text(source, encoding="utf-8")
    _ruff_format(out)


def _ruff_format(out: Path) -> None:
    ruff = str(Path(sys.executable).parent / "ruff")
    if not Path(ruff).exists():
        ruff = shutil.which("ruff") or sys.exit("ruff not found: pip install ruff==0.17.6")
    for args in (
        [
            "check",
            "--isolated",
            "--no-cache",
            "--target-version",
            "py311",
            "--select",
            "I",
            "--fix-only",
            "--quiet",
        ],
        [
            "format",
            "--isolated",
            "--no-cache",
            "--target-version",
            "py311",
            "--line-length",
            "110",
            "--quiet",
        ],
    ):
        proc = subprocess.run([ruff, *args, str(out)], capture_output=True, text=True)
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout + proc.stderr)
            sys.exit(f"ruff failed on {out.name} (exit {proc.returncode})")


# protoc registers the file in the process-wide default descriptor pool; the official SDK registers the same
# file name and message names there, so importing both in one process (parity tests, users migrating) would
# fail with "duplicate symbol". Our messages live in a pool of their own: the bytes on the wire are the same.
_DEFAULT_POOL = "_descriptor_pool.Default().AddSerializedFile("
_PRIVATE_POOL = "_descriptor_pool.DescriptorPool().AddSerializedFile("


def _generate_proto(out: Path) -> None:
    """tinker_public.proto -> out/tinker_public_pb2.py (+ .pyi), for the C-backed `protobuf` runtime."""
    out.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "grpc_tools.protoc",
        f"--proto_path={PROTO.parent}",
        f"--python_out={out}",
        f"--pyi_out={out}",
        PROTO.name,
    ]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    if proc.returncode != 0 or proc.stderr.strip():
        sys.stderr.write(proc.stdout + proc.stderr)
        sys.exit(f"protoc failed (exit {proc.returncode}): pip install grpcio-tools==1.85.1")
    module = out / "tinker_public_pb2.py"
    text = module.read_text(encoding="utf-8")
    if text.count(_DEFAULT_POOL) != 1:
        sys.exit(f"codegen: expected one {_DEFAULT_POOL!r} in {module.name}; protoc output changed")
    module.write_text(text.replace(_DEFAULT_POOL, _PRIVATE_POOL), encoding="utf-8")
    (out / "__init__.py").write_text(
        '"""Protobuf messages of tinker_public.proto (the binary bodies of the Tinker API)."""\n',
        encoding="utf-8",
    )


def _stamp(pkg: Path) -> None:
    """Prefix every generated module with the do-not-edit header and add py.typed."""
    for path in sorted([*pkg.rglob("*.py"), *pkg.rglob("*.pyi")]):
        text = path.read_text(encoding="utf-8")
        header = PROTO_HEADER if path.parent.name == "proto" else HEADER
        path.write_text(header + text, encoding="utf-8")
    (pkg / "py.typed").write_text(PY_TYPED, encoding="utf-8")
    for cache in pkg.rglob("__pycache__"):
        shutil.rmtree(cache)


def _files(root: Path) -> set[str]:
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def check(fresh: Path) -> int:
    """Compare fresh output with the checked-in copy; print a unified diff. Returns the exit code."""
    ours = _files(TARGET) if TARGET.is_dir() else set()
    theirs = _files(fresh)
    problems = 0
    for rel in sorted(ours | theirs):
        a, b = TARGET / rel, fresh / rel
        if rel not in theirs:
            print(f"stale file (not generated from the spec): generated/{PACKAGE}/{rel}")
            problems += 1
        elif rel not in ours:
            print(f"missing file: generated/{PACKAGE}/{rel}")
            problems += 1
        elif not filecmp.cmp(a, b, shallow=False):
            problems += 1
            diff = difflib.unified_diff(
                a.read_text(encoding="utf-8").splitlines(keepends=True),
                b.read_text(encoding="utf-8").splitlines(keepends=True),
                fromfile=f"generated/{PACKAGE}/{rel} (checked in)",
                tofile=f"generated/{PACKAGE}/{rel} (from openapi.yaml)",
            )
            sys.stdout.writelines(diff)
    if problems:
        print(f"\ncodegen drift: {problems} file(s) differ. Run `nox -s codegen` and commit the result.")
        return 1
    print(f"generated/{PACKAGE} is up to date ({len(theirs)} files).")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="fail with a diff if generated/ is stale")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tinker-codegen-") as tmp:
        fresh = generate_into(Path(tmp))
        if args.check:
            return check(fresh)
        if TARGET.exists():
            shutil.rmtree(TARGET)
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(fresh, TARGET)
    print(f"wrote generated/{PACKAGE} ({len(_files(TARGET))} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
