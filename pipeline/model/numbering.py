"""Numbers as the layout prints them, in any language: roman numerals, letters and the
counters a language's catalogue names ("أولا", "ثانيا", …)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(number: int) -> str:
    """``number`` (1 to 3999) in roman numerals: 4 gives "IV"."""
    if not 0 < number < 4000:
        raise ValueError(f"no roman numeral for {number}")
    digits = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        digits.append(letters * count)
    return "".join(digits)


def roman_value(text: str) -> int:
    """The value of a roman numeral (upper or lower case); 0 when it is not one (the inverse of :func:`roman`)."""
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    total, previous = 0, 0
    for char in reversed(text.lower()):
        if char not in values:
            return 0
        value = values[char]
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total


def letter_number(number: int) -> str:
    """1 -> "a", 26 -> "z", 27 -> "aa" (the letter doubled after z)."""
    if number < 1:
        raise ValueError(f"no letter for {number}")
    letter = "abcdefghijklmnopqrstuvwxyz"[(number - 1) % 26]
    return letter * ((number - 1) // 26 + 1)


def counter_value(counter: Sequence[str], number: int) -> str:
    """The ``number``th (from 1) word of a language's counter; beyond its end, the number in digits."""
    if number < 1:
        raise ValueError(f"no counter value for {number}")
    return counter[number - 1] if number <= len(counter) else str(number)


_FIELDS: dict[str, Callable[[int], str]] = {
    "number": str, "roman": lambda n: roman(n).lower(), "Roman": roman,
    "letter": letter_number, "Letter": lambda n: letter_number(n).upper()}


class _Fields(dict[str, str]):
    """The fields of one number, each worked out when a pattern names it (a paragraph numbered
    4000 has no roman form, and needs none)."""

    def __init__(self, number: int, counters: Mapping[str, Sequence[str]]) -> None:
        super().__init__()
        self.number, self.counters = number, counters

    def __missing__(self, name: str) -> str:
        if name in self.counters:
            value = counter_value(self.counters[name], self.number)
        elif name in _FIELDS:
            value = _FIELDS[name](self.number)
        else:
            raise KeyError(name)
        self[name] = value
        return value


def label_fields(number: int, counters: Mapping[str, Sequence[str]] | None = None) -> dict[str, str]:
    """What a label pattern may name for ``number``: ``{number}`` (digits), ``{roman}`` and
    ``{Roman}``, ``{letter}`` and ``{Letter}``, and each counter of the language by its name;
    a counter named ``letter`` takes the place of the Latin letters. Each is worked out when
    it is first looked up."""
    return _Fields(number, counters or {})


def format_label(pattern: str, number: int, counters: Mapping[str, Sequence[str]] | None = None) -> str:
    """``pattern`` with the fields of ``number`` filled in: "({letter})" and 2 give "(b)"."""
    return pattern.format_map(label_fields(number, counters))


def letter_index(letter: str) -> int:
    """The number a letter stands for: "a" -> 1, "z" -> 26, "aa" -> 27 (the inverse of :func:`letter_number`)."""
    if not letter or len(set(letter)) != 1 or not "a" <= letter[0] <= "z":
        raise ValueError(f"not a letter label: {letter!r}")
    return (len(letter) - 1) * 26 + ord(letter[0]) - ord("a") + 1
