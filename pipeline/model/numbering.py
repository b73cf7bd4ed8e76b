"""Numbers as the layout prints them, in any language: roman numerals and letters."""

from __future__ import annotations

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


def letter_number(number: int) -> str:
    """1 -> "a", 26 -> "z", 27 -> "aa" (the letter doubled after z)."""
    if number < 1:
        raise ValueError(f"no letter for {number}")
    letter = "abcdefghijklmnopqrstuvwxyz"[(number - 1) % 26]
    return letter * ((number - 1) // 26 + 1)
