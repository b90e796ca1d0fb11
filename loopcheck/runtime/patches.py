"""Temporary patches and hook handles, all undone in reverse order on exit.

Class attributes are restored exactly: when the patched class did not define the
attribute itself (it inherited it), the patch is deleted rather than overwritten, so
the class dictionary is left as it was found.
"""
from __future__ import annotations

from typing import Any, Callable

_MISSING = object()


class Patches:
    def __init__(self) -> None:
        self._undo: list[Callable[[], None]] = []

    def set_attr(self, owner: Any, name: str, value: Any) -> Any:
        """Replace owner.name (a class or module attribute); returns the original."""
        own = owner.__dict__.get(name, _MISSING) if hasattr(owner, "__dict__") else _MISSING
        original = getattr(owner, name)
        setattr(owner, name, value)

        def undo() -> None:
            if own is _MISSING:
                try:
                    delattr(owner, name)
                except AttributeError:
                    pass
            else:
                setattr(owner, name, own)

        self._undo.append(undo)
        return original

    def before_call(self, cls: type, name: str, notice: Callable[[Any], None]) -> None:
        """Make method `name` of `cls` call `notice(instance)` first, then run as it did.
        `notice` runs inside the user's call: it must not raise (the watcher guards it)."""
        original = getattr(cls, name)

        def method(instance: Any, *args: Any, **kwargs: Any) -> Any:
            notice(instance)
            return original(instance, *args, **kwargs)

        method.__wrapped__ = original  # type: ignore[attr-defined]
        self.set_attr(cls, name, method)

    def handle(self, handle: Any) -> None:
        """A torch.utils.hooks.RemovableHandle (it references its hooks dict weakly)."""
        self._undo.append(handle.remove)

    def undo_all(self) -> list[BaseException]:
        errors: list[BaseException] = []
        while self._undo:
            undo = self._undo.pop()
            try:
                undo()
            except Exception as exc:  # keep undoing the rest
                errors.append(exc)
        return errors


def mirror(wrapper: Callable[..., Any], original: Callable[..., Any]) -> Callable[..., Any]:
    """`wrapper`, standing in for the torch function `original` in its module: it carries the
    original's name, module and doc (FX graphs, pickling by name), and torch.jit.script compiles
    the original in its place (the attributes of torch.jit.script_if_tracing's wrappers), so
    scripted code that calls the function still compiles while the watcher is installed."""
    wrapper.__name__ = wrapper.__qualname__ = original.__name__
    wrapper.__module__ = original.__module__
    wrapper.__doc__ = original.__doc__
    setattr(wrapper, "__script_if_tracing_wrapper", True)
    setattr(wrapper, "__original_fn", original)
    return wrapper
