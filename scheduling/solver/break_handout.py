"""Hand the breaks the model placed by counts (build._cover_with_break_counts) to the people
working a shift option, so that no one takes two breaks at once.

The model says, per break rule of an option, how many of its people take the break at each
start; any hand-out covers the same, but one person must not get, say, the earliest coffee
and the earliest lunch at the same time. Rules are handed out one after another, each a
matching of the option's people to the rule's breaks clear of what they hold (augmenting
paths, exact): when the rules whose breaks can meet form no cycle (one break, coffee and
lunch, coffee-lunch-coffee with coffees that never meet) and the model's pairwise condition
holds (build._one_break_at_a_time), every rule's matching is complete.
"""

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from scheduling.solver.model import Break, BreakRule
from scheduling.solver.options import overlapping


@dataclass(frozen=True)
class RuleCounts:
    """One break rule of an option: every start it allows (minutes), and the starts the
    model gave its people, one per person (repeated where several take the same)."""

    rule: BreakRule
    allowed: tuple[int, ...]
    taken: tuple[int, ...]


def hand_out(
    people: Sequence[int], rules: Sequence[RuleCounts]
) -> tuple[dict[int, list[Break]], bool]:
    """Each person's breaks (in rule order), and whether they are exactly the counts' with no
    two of anyone's at once. When no such hand-out exists (rules whose breaks meet in a
    cycle), a person the matching leaves out takes the allowed start nearest a left-over
    one that is clear of their breaks: no overlap, other cover than the model's."""
    held: dict[int, dict[int, Break]] = {p: {} for p in people}
    exact = True
    for k in _order(rules):
        counts = rules[k]
        to = _matching(people, counts, held)
        left = sorted((Counter(counts.taken) - Counter(to.values())).elements())
        for person in people:
            start = to.get(person)
            if start is None:
                exact = False
                start = _nearest_clear(counts, left.pop(0) if left else None, held[person])
            held[person][k] = Break(start, counts.rule.length_minutes, counts.rule.paid)
    return {p: [b for _, b in sorted(held[p].items())] for p in people}, exact


def _order(rules: Sequence[RuleCounts]) -> list[int]:
    """The rules breadth first over "their breaks can meet", from the first of each group:
    without a cycle each rule then meets one handed out before it at most, whose matching
    with it is all that can fail."""
    meet: dict[int, list[int]] = defaultdict(list)
    for i, a in enumerate(rules):
        for j in range(i + 1, len(rules)):
            b = rules[j]
            if any(
                overlapping(x, a.rule.length_minutes, y, b.rule.length_minutes)
                for x in set(a.taken)
                for y in set(b.taken)
            ):
                meet[i].append(j)
                meet[j].append(i)
    order: list[int] = []
    for root in range(len(rules)):
        if root in order:
            continue
        read = len(order)
        order.append(root)
        while read < len(order):  # breadth first
            order.extend(j for j in meet[order[read]] if j not in order)
            read += 1
    return order


def _matching(
    people: Sequence[int], counts: RuleCounts, held: dict[int, dict[int, Break]]
) -> dict[int, int]:
    """A largest hand-out of the rule's starts (person -> start), each clear of the person's
    breaks: augmenting paths over the distinct starts, each with room for as many people as
    take it, a free start first. People and starts in order, so without conflicts the
    earliest start goes to the first person, as before."""
    room = Counter(counts.taken)
    starts = sorted(room)
    length = counts.rule.length_minutes
    clear = {
        p: [
            s
            for s in starts
            if not any(
                overlapping(s, length, b.start_minute, b.length_minutes) for b in held[p].values()
            )
        ]
        for p in people
    }
    holders: dict[int, list[int]] = defaultdict(list)
    to: dict[int, int] = {}

    def augment(person: int, seen: set[int]) -> bool:
        free = next((s for s in clear[person] if len(holders[s]) < room[s]), None)
        if free is not None:
            holders[free].append(person)
            to[person] = free
            return True
        for s in clear[person]:
            if s in seen:
                continue
            seen.add(s)
            for other in list(holders[s]):
                if augment(other, seen):  # `other` moved to another start
                    holders[s].remove(other)
                    holders[s].append(person)
                    to[person] = s
                    return True
        return False

    for person in people:
        augment(person, set())
    return to


def _nearest_clear(counts: RuleCounts, wanted: int | None, held: dict[int, Break]) -> int:
    """The allowed start nearest `wanted` (else the window's first) clear of `held`; `wanted`
    itself when none is."""
    target = counts.allowed[0] if wanted is None else wanted
    length = counts.rule.length_minutes
    clear = [
        s
        for s in counts.allowed
        if not any(overlapping(s, length, b.start_minute, b.length_minutes) for b in held.values())
    ]
    return min(clear, key=lambda s: (abs(s - target), s)) if clear else target
