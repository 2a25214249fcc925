"""Red team: reference spinners with gold alignments, and evaluation sets.

``spin(text, profile, rate, seed)`` returns a :class:`SpunText` whose ``alignment``
reproduces the spun text from the original exactly. ``PROFILES`` lists the spinners;
``unspin.simulate.evalsets.load(split)`` yields the train/dev/test sets.
"""

from unspin.simulate.alignment import Edit, apply_alignment, check_alignment
from unspin.simulate.profiles import (
    PROFILES,
    TEST_PROFILES,
    TRAIN_PROFILES,
    Profile,
    get_profile,
)
from unspin.simulate.spinner import SpunText, spin

__all__ = [
    "PROFILES",
    "TEST_PROFILES",
    "TRAIN_PROFILES",
    "Edit",
    "Profile",
    "SpunText",
    "apply_alignment",
    "check_alignment",
    "get_profile",
    "spin",
]
