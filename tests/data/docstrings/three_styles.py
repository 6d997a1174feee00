"""Real-file case for the docstring parser: one function per style, plus traps.

Every documented entry's first line contains its name, so the test can check spans
against the file itself.
"""


def google(x, *args, flag=False, **kwargs):
    """Summary on the quote line.

    Args:
        x (int): The x value, described
            over two lines.
        *args: Extra values.
        flag (bool, optional): A flag.
        **kwargs (dict): Passed on.

    Returns:
        list[int]: The values.

    Raises:
        ValueError: If x is negative.

    Example:
        >>> google(1)
        result: [1]
    """


def numpy(a, b):
    """
    Summary on the line after the quotes.

    Parameters
    ----------
    a, b : float
        The operands.

    Returns
    -------
    float
        The sum.

    Raises
    ------
    OverflowError
        When it does not fit.
    """


def sphinx(path, mode="r"):
    """Open something.

    :param str path: Where it is.
    :param mode: How to open it,
        as in :func:`open`.
    :type mode: str
    :returns: The handle.
    :rtype: io.IOBase
    :raises FileNotFoundError: If it is missing.

    .. code-block:: rst

        :param fake: Not a field.
    """


def plain():
    """Nothing structured here. Note: see http://example.com for details."""
