"""The generated public classes that behaviour of *other* types builds (ModelInput builds EncodedTextChunk,
coerce_loss_fn_input builds TensorData), found without importing upward.

The generated module imports the mixins, so a mixin cannot import the generated class. Instead the mixin
derives from `RecordsGeneratedClass`: the first class defined on it is the generated one (it is defined
right after the mixin module is imported) and is recorded under the mixin, no generator change needed.
"""

from __future__ import annotations

from typing import Any

__all__ = ["RecordsGeneratedClass", "generated_class"]

_RECORDED: dict[type, type] = {}


class RecordsGeneratedClass:
    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for mixin in cls.__mro__[1:]:
            if RecordsGeneratedClass in mixin.__bases__:
                _RECORDED.setdefault(mixin, cls)  # a later (user) subclass keeps the generated class recorded


def generated_class(mixin: type) -> Any:
    """The generated class that takes the behaviour `mixin`."""
    try:
        return _RECORDED[mixin]
    except KeyError:  # only if a mixin is used before tinker_ext_raw.public was imported: a bug of ours
        raise LookupError(f"no generated class takes {mixin.__name__} yet") from None
