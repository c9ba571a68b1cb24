"""Posting lists as bit sets: each node id numbered as first met, a word's list a Python int with a bit
per node, and "the nodes in at least m of these lists" counted on whole bit sets. Both stores keep the
lists of the words questions look up in memory this way (``graph.embedded``, ``graph.neo4j_store``)."""

from __future__ import annotations

import threading
from collections.abc import Iterable


class Numbering:
    """A number for each node id, as first met, for the bit sets of posting lists (numbers only grow, so
    every version of the posting lists shares them)."""

    def __init__(self) -> None:
        self.ids: list[str] = []  # node id by number
        self.numbers: dict[str, int] = {}
        self.lock = threading.Lock()

    def number(self, node_id: str) -> int:
        number = self.numbers.get(node_id)
        if number is None:
            with self.lock:
                number = self.numbers.get(node_id)
                if number is None:
                    number = self.numbers[node_id] = len(self.ids)
                    self.ids.append(node_id)
        return number

    def bits(self, node_ids: Iterable[str]) -> int:
        """The bit set of these nodes."""
        numbers = [self.number(node_id) for node_id in node_ids]
        packed = bytearray(len(self.ids) // 8 + 1)
        for number in numbers:
            packed[number >> 3] |= 1 << (number & 7)
        return int.from_bytes(packed, "little")

    def ids_of(self, bits: int) -> list[str]:
        """The ids of the nodes whose bits are set."""
        text = format(bits, "b")[::-1]  # a digit per node, lowest number first
        found, number = [], text.find("1")
        while number >= 0:
            found.append(self.ids[number])
            number = text.find("1", number + 1)
        return found


def bits_in_at_least(bit_sets: list[int], times: int) -> int:
    """The bits set in at least ``times`` of the bit sets (``times`` at least 1)."""
    return in_at_least(counted(bit_sets), times)


def counted(bit_sets: list[int]) -> list[int]:
    """How many of the bit sets hold each bit, added up in binary across all bits at once: a bit set per
    binary digit (``digits[i]``: the bits whose count has digit i)."""
    digits: list[int] = []
    for carry in bit_sets:
        for i, digit in enumerate(digits):
            digits[i], carry = digit ^ carry, digit & carry
            if not carry:
                break
        if carry:
            digits.append(carry)
    return digits


def in_at_least(digits: list[int], times: int) -> int:
    """The bits whose count (``counted``) is at least ``times`` (at least 1): compared with it from the
    highest digit down."""
    if times.bit_length() > len(digits):
        return 0
    above, equal = 0, -1  # the bits whose count is above, or equal to, ``times`` in the digits compared so far
    for i in reversed(range(len(digits))):
        if times >> i & 1:
            equal &= digits[i]
        else:
            above |= equal & digits[i]
            equal &= ~digits[i]
    return above | equal


def exactly(bits: int, digits: list[int]) -> list[int]:
    """Of these bits, for each count from 0 up to the most there is, those whose count (``counted``) is that."""
    found, above = [], bits
    for times in range(1, 2 ** len(digits) + 1):
        at_least = in_at_least(digits, times) & bits
        found.append(above & ~at_least)
        above = at_least
        if not above:
            break
    return found
