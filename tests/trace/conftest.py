"""Toy texts for the trace tests (written for the tests; no corpus text)."""

from __future__ import annotations

import random

import pytest

ORIGINAL = (
    "The city council of Brampton voted on Tuesday to approve a new transit plan worth "
    "$2.4 billion, ending a debate that had divided residents for almost three years. "
    "Mayor Helen Ostrowski said the decision would shorten commutes for thousands of "
    "workers and bring new investment to the northern districts. Critics argued that the "
    "plan relied on optimistic ridership forecasts and warned that property taxes could "
    "rise sharply if federal funding failed to arrive. The first stage of construction is "
    "expected to begin next spring, with a light rail line connecting the airport to the "
    "downtown core. Officials said the project would create about 6,000 jobs and that "
    "contracts would be awarded through an open tender later this year. Business groups "
    "welcomed the vote, while a coalition of neighbourhood associations said it would "
    "review the decision and consider a legal challenge before the end of the month."
)

# The same story through a sense-blind thesaurus spinner (about half the content words).
SPUN = (
    "The metropolis council of Brampton voted on Tuesday to approve a contemporary transit "
    "scheme price $2.4 billion, finishing a debate that had split inhabitants for nearly "
    "three years. Mayor Helen Ostrowski acknowledged the resolution would shorten commutes "
    "for hundreds of employees and convey recent funding to the northern districts. "
    "Detractors argued that the scheme relied on hopeful ridership forecasts and cautioned "
    "that property taxes could climb sharply if federal funding failed to arrive. The "
    "primary stage of building is anticipated to start subsequent spring, with a light rail "
    "line connecting the airport to the downtown core. Officers said the venture would "
    "create about 6,000 jobs and that contracts would be awarded by an open tender later "
    "this year. Enterprise teams welcomed the vote, whereas a coalition of neighbourhood "
    "associations said it would review the choice and weigh a authorized problem earlier "
    "than the top of the month."
)

# A different article about the same event: same names and numbers, different text.
RELATED = (
    "Brampton residents remain split after Tuesday's council vote. Helen Ostrowski, who "
    "has been mayor since 2018, called the $2.4 billion transit plan a turning point, but "
    "opponents gathered outside city hall to protest. Several speakers said they feared "
    "higher taxes and doubted the promised 6,000 jobs. A spokesperson for the neighbourhood "
    "coalition told reporters that lawyers were studying the vote. Construction of the "
    "airport rail link could start in the spring, according to the city's website."
)

UNRELATED = (
    "Heavy rain flooded several streets in the coastal town of Port Ellery on Sunday, "
    "forcing the closure of two schools and a hospital clinic. Emergency crews pumped water "
    "from basements through the night, and the regional weather office warned that more "
    "storms were likely later in the week. Farmers in the valley said their crops had been "
    "damaged and asked the provincial government for help."
)

# Sentences of a story the archive does not hold (woven into blends).
UNARCHIVED = (
    "A rare orchid bloomed this week at the botanical garden in Kestrel Bay. Visitors "
    "queued for hours to see the flower, which opens only once every decade. Gardeners "
    "said the plant had been grown from seed collected on a mountain expedition. The "
    "garden will stay open late on Friday and Saturday evenings for the display."
)


def background(n: int, seed: int = 0) -> list[tuple[str, str]]:
    """``n`` filler documents recombined from a small vocabulary (deterministic)."""
    rng = random.Random(seed)
    words = (
        "market shares rose fell company report said analysts government minister year "
        "growth bank rates policy trade exports prices oil energy vote election party "
        "court ruling police city council plan project officials week month quarter"
    ).split()
    caps = ["London", "Paris", "Tokyo", "Reuters", "Smith", "Jones", "Ottawa", "Lagos"]
    docs = []
    for i in range(n):
        toks = []
        for _ in range(rng.randint(60, 120)):
            r = rng.random()
            toks.append(
                rng.choice(caps)
                if r < 0.1
                else str(rng.randint(1, 99))
                if r < 0.15
                else rng.choice(["the", "of", "and", "to", "in"])
                if r < 0.45
                else rng.choice(words)
            )
        docs.append((f"bg/{i}", " ".join(toks) + "."))
    return docs


@pytest.fixture
def toy_docs() -> list[tuple[str, str]]:
    return [("orig", ORIGINAL), ("related", RELATED), ("unrelated", UNRELATED), *background(30)]
