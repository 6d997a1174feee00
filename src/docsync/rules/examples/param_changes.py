"""Examples of DS503 (parameter drift only the change set proves): a base and a head."""

from __future__ import annotations

from docsync.models import Style
from docsync.rules.examples import code
from docsync.rules.rule import ChangeExample

_LOAD = code(
    '''
    def load(path, script_version=None, **kwargs):
        """Load a data set.

        Args:
            path: Where it is.
            script_version: Which loading script to use.
            **kwargs: Passed to the builder.
        """
        return path, kwargs
    '''
)
_LOAD_HEAD = _LOAD.replace("path, script_version=None, **kwargs", "path, **kwargs")

_GATHER = code(
    '''
    def gather(*coroutines, limit=None):
        """Run the coroutines together.

        Parameters
        ----------
        coroutines : awaitable
            What to run.
        limit : int, optional
            How many at a time.
        """
        return coroutines, limit
    '''
)
_GATHER_HEAD = _GATHER.replace("*coroutines,", "*awaitables,").replace(
    "return coroutines", "return awaitables"
)

_BOX = code(
    '''
    class Box:
        """A box.

        :param side: The length of a side.
        """

        def __init__(self, side):
            self.side = side

        def area(self, unit="cm"):
            """The area of the box.

            :param unit: The unit of the result.
            """
            return self.side**2
    '''
)
_BOX_HEAD = _BOX.replace('    def area(self, unit="cm"):', "    @property\n    def area(self):")

_SHOP = code(
    '''
    def price(item, currency):
        """The price of an item.

        Args:
            item: What is sold.
            currency: In which currency.
        """
        return item, currency


    def stock(item, store):
        """How many are left.

        Args:
            item: What is sold.
            store: Where.
        """
        return item, store


    def ship(item):
        """Send an item to the customer."""
        return item
    '''
)
_SHOP_HEAD = _SHOP.replace("def ship(item):", "def ship(item, carrier, express=False):")

def _without_args(source: str) -> str:
    """The shop example with no Args sections: a module that documents no parameters."""
    kept = [line for line in source.split("\n") if not line.startswith("    Args:")]
    text = "\n".join(line for line in kept if not line.startswith("        "))
    return text.replace('.\n\n    """', '."""')


FLAG = (
    ChangeExample(
        _LOAD,
        _LOAD_HEAD,
        Style.GOOGLE,
        "a parameter removed from a signature with **kwargs, still documented",
    ),
    ChangeExample(
        _GATHER,
        _GATHER_HEAD,
        Style.NUMPY,
        "*coroutines renamed *awaitables, the docstring still names coroutines",
    ),
    ChangeExample(
        _BOX,
        _BOX_HEAD,
        Style.SPHINX,
        "a method turned into a property keeps its parameter entry",
    ),
    ChangeExample(
        _SHOP,
        _SHOP_HEAD,
        Style.GOOGLE,
        "parameters added to a function without a parameter section, in a module "
        "whose documented functions list theirs",
    ),
)
OK = (
    ChangeExample(
        _LOAD,
        _LOAD_HEAD.replace("        script_version: Which loading script to use.\n", ""),
        Style.GOOGLE,
        "the removed parameter's entry removed in the same change",
    ),
    ChangeExample(
        _GATHER,
        _GATHER_HEAD.replace("coroutines : awaitable", "awaitables : awaitable"),
        Style.NUMPY,
        "the docstring follows the *args rename",
    ),
    ChangeExample(
        _BOX,
        _BOX_HEAD.replace("\n        :param unit: The unit of the result.\n", ""),
        Style.SPHINX,
        "the property's docstring lost its parameter entry",
    ),
    ChangeExample(
        _without_args(_SHOP),
        _without_args(_SHOP_HEAD),
        Style.GOOGLE,
        "parameters added in a module that documents no parameters",
    ),
    ChangeExample(
        _SHOP,
        _SHOP_HEAD.replace("def ship(item, carrier, express=False):", "def ship(item, _cache=None):"),
        Style.GOOGLE,
        "only a private parameter added",
    ),
    ChangeExample(
        _SHOP.replace("def ship(item):", "def _ship(item):"),
        _SHOP_HEAD.replace("def ship(item, carrier, express=False):", "def _ship(item, carrier):"),
        Style.GOOGLE,
        "a private helper with a one-line docstring gains a parameter (geopandas' "
        "_arrow_to_geopandas)",
    ),
)
