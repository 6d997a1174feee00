"""Examples of DS504 (new API without docs), a base and a head, and DS708 (new API no page shows).

DS708's examples are MkDocs projects over :data:`~docsync.rules.examples.pages.SAMPLE_PACKAGE`
whose ``added`` names put them in base mode.
"""

from __future__ import annotations

from docsync.models import Style
from docsync.rules.examples import code
from docsync.rules.rule import ChangeExample, PageExample

_GOOGLE = code(
    '''
    def load(path):
        """Load a data set.

        Args:
            path: Where it is.
        """
        return path
    '''
)
_NUMPY = code(
    '''
    def load(path):
        """Load a data set.

        Parameters
        ----------
        path : str
            Where it is.
        """
        return path
    '''
)
_SPHINX = code(
    '''
    def load(path):
        """Load a data set.

        :param path: Where it is.
        """
        return path


    def save(path, data):
        """Save a data set.

        :param path: Where to.
        :param data: What.
        """
        return path, data
    '''
)
_CLASS = code(
    '''
    class Store:
        """Where data sets live.

        Args:
            root: The directory.
        """

        def __init__(self, root):
            self.root = root
    '''
)

UNDOCUMENTED_FLAG = (
    ChangeExample(
        _GOOGLE,
        _GOOGLE + "\n\ndef save(path, data):\n    return path, data\n",
        Style.GOOGLE,
        "a new public function without a docstring",
    ),
    ChangeExample(
        _NUMPY,
        _NUMPY + "\n\nclass Store:\n    def get(self, name):\n        return name\n",
        Style.NUMPY,
        "a new class without a docstring: its new method is named in the one finding",
    ),
    ChangeExample(
        _SPHINX,
        _SPHINX + '\n\ndef copy(source, target):\n    """Copy a data set."""\n    return target\n',
        Style.SPHINX,
        "a new function whose docstring lists no parameters, where the module's do",
    ),
    ChangeExample(
        _CLASS,
        _CLASS + "\n    def get(self, name):\n        return name\n",
        Style.GOOGLE,
        "a new method of an existing class",
    ),
    ChangeExample(
        _CLASS,
        _CLASS + "\n    @property\n    def size(self):\n        return 0\n",
        Style.GOOGLE,
        "a new property",
    ),
    ChangeExample(
        _GOOGLE,
        _GOOGLE + "\n\ndef save(path, data):\n    return path, data\n\n\nsave.__doc__ = None\n",
        Style.GOOGLE,
        "a new function whose `__doc__` is set to nothing at run time",
    ),
    ChangeExample(
        _GOOGLE,
        _GOOGLE + '\n\ndef save(path, data):\n    return path, data\n\n\nload.__doc__ = "Load."\n',
        Style.GOOGLE,
        "a new function without a docstring, while another function's `__doc__` is set",
    ),
)
UNDOCUMENTED_OK = (
    ChangeExample(
        _GOOGLE,
        _GOOGLE + '\n\ndef save(path, data):\n    """Save a data set."""\n    return path, data\n',
        Style.GOOGLE,
        "a new documented function, in a module that does not list parameters twice",
    ),
    ChangeExample(
        _GOOGLE,
        _GOOGLE + "\n\ndef _save(path, data):\n    return path, data\n",
        Style.GOOGLE,
        "a new private function",
    ),
    ChangeExample(
        "__all__ = ['load']\n\n\n" + _GOOGLE,
        "__all__ = ['load']\n\n\n" + _GOOGLE + "\n\ndef save(path, data):\n    return path\n",
        Style.GOOGLE,
        "a new function the module's `__all__` does not list",
    ),
    ChangeExample(
        _GOOGLE,
        _GOOGLE.replace("return path", "def inner():\n        return path\n\n    return inner()"),
        Style.GOOGLE,
        "a new function nested in a function",
    ),
    ChangeExample(
        _CLASS,
        _CLASS + "\n    def __repr__(self):\n        return self.root\n",
        Style.GOOGLE,
        "a new dunder method",
    ),
    ChangeExample(
        _CLASS + '\n    def get(self, name):\n        """Get one."""\n        return name\n',
        _CLASS
        + '\n    def get(self, name):\n        """Get one."""\n        return name\n\n\n'
        + 'class Local(Store):\n    """A store on this machine."""\n\n'
        + "    def get(self, name):\n        return name\n",
        Style.GOOGLE,
        "a new method that overrides a documented one: the base's docs apply",
    ),
    ChangeExample(
        _NUMPY,
        _NUMPY.replace("def load", "@overload\ndef load(path: int) -> int: ...\n\n\ndef load", 1),
        Style.NUMPY,
        "an `@overload` stub added before a documented implementation",
    ),
    ChangeExample(
        _SPHINX,
        _SPHINX + '\n\ndef copy(source, target):\n    """Copy a data set.\n\n'
        '    :param source: From.\n    :param target: To.\n    """\n    return target\n',
        Style.SPHINX,
        "a new function that documents its parameters",
    ),
    ChangeExample(
        _GOOGLE,
        _GOOGLE + "\n\ndef save(path, data):\n    return path, data\n\n\nsave.__doc__ = load.__doc__\n",
        Style.GOOGLE,
        "a new function documented at run time: the module assigns its `__doc__`",
    ),
    ChangeExample(
        _CLASS,
        _CLASS
        + '\n    def get(self, name):\n        """Get one."""\n        return name\n\n'
        + "    @property\n    def fetch(self):\n        return self.get\n\n"
        + "    fetch.__doc__ = get.__doc__\n",
        Style.GOOGLE,
        "a new property whose class body copies another method's `__doc__` to it "
        "(networkx's `DiGraph.out_edges`)",
    ),
    ChangeExample(
        _CLASS,
        _CLASS
        + "\n    def get(self, name):\n        return name\n\n\n"
        + 'Store.get.__doc__ = """Get one data set by name."""\n',
        Style.GOOGLE,
        "a new method whose `__doc__` the module sets after the class",
    ),
)

OFF_PAGES_FLAG = (
    PageExample(
        "::: shop.cart.Cart\n    options:\n      members: [add]\n",
        "a new method of a class whose block lists its members",
        added=("shop.cart.Cart.total",),
    ),
    PageExample(
        "# API\n\n::: shop.cart.Cart\n",
        "a new function beside a class the page shows, in the same module",
        added=("shop.cart.checkout",),
    ),
)
OFF_PAGES_OK = (
    PageExample(
        "::: shop.cart\n",
        "a module block shows every member",
        added=("shop.cart.checkout",),
    ),
    PageExample(
        "::: shop.cart.Cart\n",
        "a class block shows its new method",
        added=("shop.cart.Cart.total",),
    ),
    PageExample(
        "Pay with `shop.cart.checkout()`.\n",
        "no block shows a sibling: the project documents in prose",
        added=("shop.cart.checkout",),
    ),
    PageExample(
        "::: shop\n",
        "a package block shows what its `__all__` re-exports, with members",
        added=("shop.cart.Cart.total",),
    ),
    PageExample(
        "::: shop.cart.Cart\n    options:\n      members: [add]\n\nThen `Cart.total()`.\n",
        "a page names the new method",
        added=("shop.cart.Cart.total",),
    ),
)
