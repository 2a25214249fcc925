"""Hand-written spinner rules: phrase rewrites, entity accidents, numbers, boilerplate.

These are generic behaviours of commercial spinners (multi-word expansions, nationality
adjectives read as languages, modal/month confusion, acronyms expanded or lower-cased),
written from the project brief's examples and general knowledge of spinner output, not
mined from ``realworld-dev.jsonl``. Keys are lower-cased token sequences as produced by
:func:`unspin.text.tokenize`.
"""

from __future__ import annotations

__all__ = [
    "BOILERPLATE",
    "EMBEDS",
    "ENTITY_ACCIDENTS",
    "NUMBER_WORDS",
    "PHRASES",
    "STOPWORDS",
]


def _table(spec: str) -> dict[tuple[str, ...], tuple[str, ...]]:
    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    for line in spec.strip().splitlines():
        src, dst = line.split("=>")
        out[tuple(src.split())] = tuple(d.strip() for d in dst.split("|"))
    return out


# Phrase-level substitutions and expansions (source => alternatives).
PHRASES = _table(
    """
    instead of => as a replacement of | in place of | rather than
    according to => in line with | in accordance with | based on
    at least => not less than | on the very least | at the least
    because of => on account of | as a result of | owing to
    in order to => so as to | with a purpose to
    as well as => along with | together with | in addition to
    such as => similar to | comparable to | corresponding to
    more than => greater than | larger than | extra than
    however => nonetheless | then again | alternatively
    also => additionally | moreover | as well
    despite => regardless of | in spite of
    may => might | could possibly | could presumably perhaps | might perhaps
    might => may well | could | would possibly
    would => would possibly | may well
    can => can well | may be able to
    will => will seemingly | shall | will possibly
    should => ought to | may still
    must => should | have to
    about => about | roughly | approximately
    nearly => almost | practically | virtually
    chinese => chinese language
    japanese => japanese language
    russian => russian language
    german => german language
    french => french language
    spanish => spanish language
    italian => italian language
    arabic => arabic language
    english => english language
    year => 12 months | yr
    next year => subsequent 12 months | subsequent yr
    last year => final yr | remaining 12 months
    percent => per cent | p.c.
    then => then | after which
    and then => after which
    as => as | since | whereas
    while => whereas | even as
    whether => whether or not
    """
)

# Proper-noun accidents: entity names expanded, abbreviated or case-damaged.
ENTITY_ACCIDENTS = _table(
    """
    united states => usa | us | america
    u.s. => us | usa | america
    us => usa | us
    united kingdom => uk | united kingdom
    britain => uk | united kingdom
    european union => eu | european union
    united nations => un | united nations
    white house => white home | white residence
    wall street => wall road | wall avenue
    new york => new york | big apple
    trade representative => commerce representative | replace representative
    prime minister => top minister | high minister
    supreme court => excellent courtroom | supreme courtroom
    federal reserve => federal reserve | fed
    """
)

NUMBER_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()

# Lines auto-blogging plugins and scrapers put into copies.
BOILERPLATE = (
    "[ad_1]",
    "[ad_2]",
    "Source link",
    "Read More",
    "Advertisement",
    "Related Posts",
    "Subscribe to our newsletter for the latest updates.",
    "Follow us on Twitter and Facebook for more news.",
    "This article was originally published by a news agency and has been republished.",
    "Share this:",
    "Click here to read the full story.",
    "Disclaimer: The views expressed are those of the author.",
    "Also Read:",
    "Continue Reading",
)

# Embedded-post templates ({handle}, {month}, {day}, {code} are filled in).
EMBEDS = (
    "pic.twitter.com/{code} — News Desk (@{handle}) {month} {day}, 2024",
    "A post shared by {handle} (@{handle}) on {month} {day}, 2024",
    "— {handle} (@{handle}) {month} {day}, 2024",
)

# Function words (closed-class); stop-word survival is a calibration statistic.
STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your
    yours yourself yourselves 's 't may might must shall also however although though
    since per via upon onto whether yet
    """.split()
)
