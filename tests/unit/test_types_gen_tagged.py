"""codegen/types_gen.py: a `oneOf` with a discriminator over public types is a tagged union (f.Tagged), and a
property default that is a JSON object is parsed into a new value per instance (f.parsed); model_dump_json
writes small floats as pydantic does."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pytest

from tinker_ext._core.exceptions import InvalidInputError, ResponseFormatError
from tinker_ext._types import _fields as f

REPO = Path(__file__).resolve().parents[2]
_REF = "#/components/schemas/"


def _spec() -> dict[str, Any]:
    def variant(tag: str, **props: Any) -> dict[str, Any]:
        return {
            "x-tinker-ext-public": "model",
            "type": "object",
            "required": ["type", *props],
            "properties": {"type": {"type": "string", "const": tag, "default": tag}, **props},
        }

    return {
        "components": {
            "schemas": {
                "Cat": variant("cat", lives={"type": "integer"}),
                "Dog": variant("dog", name={"type": "string"}),
                "Pet": {
                    "oneOf": [{"$ref": _REF + "Cat"}, {"$ref": _REF + "Dog"}],
                    "discriminator": {"propertyName": "type", "mapping": {"cat": _REF + "Cat"}},
                },
                "Home": {
                    "x-tinker-ext-public": "model",
                    "type": "object",
                    "properties": {
                        "pet": {"$ref": _REF + "Pet", "default": {"type": "dog", "name": "rex"}},
                        "others": {"type": "array", "items": {"$ref": _REF + "Pet"}, "default": []},
                    },
                },
            }
        }
    }


def _classes(spec: dict[str, Any]) -> dict[str, Any]:
    render = runpy.run_path(str(REPO / "codegen" / "types_gen.py"))["render"]
    namespace: dict[str, Any] = {}
    exec(compile(render(spec)["_types.py"], "<generated>", "exec"), namespace)
    return namespace


def test_a_discriminated_oneof_dispatches_on_its_tag() -> None:
    ns = _classes(_spec())
    home_cls, cat_cls, dog_cls = ns["Home"], ns["Cat"], ns["Dog"]
    pet_field = next(field for field in home_cls.__tinker_fields__ if field.name == "pet")
    assert isinstance(pet_field.kind, f.Tagged)  # the tag of Dog comes from its const (no mapping entry)
    assert set(pet_field.kind.cases) == {"cat", "dog"}

    home = home_cls.from_wire({"pet": {"type": "cat", "lives": 9}, "others": [{"type": "dog", "name": "a"}]})
    assert home.pet == cat_cls(lives=9) and home.others == [dog_cls(name="a")]
    assert home_cls(pet=dog_cls(name="b")).pet == dog_cls(name="b")  # an instance is kept

    with pytest.raises(ResponseFormatError, match="expected one of 'cat', 'dog', got str 'fish'") as unknown:
        home_cls.from_wire({"pet": {"type": "fish"}})
    assert unknown.value.pointer == "/pet/type"
    with pytest.raises(ResponseFormatError) as inner:  # the tag picks Cat: its own field is reported
        home_cls.from_wire({"others": [{"type": "dog", "name": "a"}, {"type": "cat", "lives": "x"}]})
    assert inner.value.pointer == "/others/1/lives"
    # no tag at all: each alternative in turn (their tag has a default), as the plain union did
    assert home_cls.from_wire({"pet": {"name": "z"}}).pet == dog_cls(name="z")
    with pytest.raises(InvalidInputError):
        home_cls(pet="cat")


def test_an_object_default_is_parsed_for_every_instance() -> None:
    ns = _classes(_spec())
    home_cls, dog_cls = ns["Home"], ns["Dog"]
    first, second = home_cls(), home_cls.from_wire({})
    assert first.pet == second.pet == dog_cls(name="rex")
    assert first.pet is not second.pet and first.others == [] and first.others is not second.others
    assert first.model_dump() == {"pet": {"type": "dog", "name": "rex"}, "others": []}
    assert home_cls.model_fields["pet"].default == dog_cls(name="rex")


def test_a_discriminator_without_a_tag_for_an_alternative_is_a_spec_error() -> None:
    spec = _spec()
    del spec["components"]["schemas"]["Dog"]["properties"]["type"]["const"]
    with pytest.raises(Exception, match="no 'type' tag for Dog"):
        _classes(spec)


def test_a_discriminator_over_non_public_schemas_stays_a_plain_union() -> None:
    spec = _spec()
    del spec["components"]["schemas"]["Dog"]["x-tinker-ext-public"]
    home = _classes(spec)["Home"]
    pet_field = next(field for field in home.__tinker_fields__ if field.name == "pet")
    assert isinstance(pet_field.kind, f.Union)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (2e-6, "2e-6"),
        (-3e-8, "-3e-8"),
        (1.5e-5, "0.000015"),
        (-1e-5, "-0.00001"),
        (1e-4, "0.0001"),
        (1e16, "1e+16"),
    ],
)
def test_model_dump_json_writes_floats_as_pydantic(value: float, text: str) -> None:
    import json

    from tinker_ext.types import CurrentCheckpointStorageUsageItem

    row = CurrentCheckpointStorageUsageItem(
        checkpoint_count=1, size_bytes=1, size_gigabytes=value, user_name="\x00"
    )
    dumped = row.model_dump_json()
    assert f'"size_gigabytes":{text},' in dumped and json.loads(dumped)["size_gigabytes"] == value
    assert json.loads(dumped)["user_name"] == "\x00"
    assert f'"size_gigabytes": {text},' in row.model_dump_json(indent=2)
