"""Where the rule packs are and what they look like on disk, without reading them.

A check answered wholly from kept findings needs to know which rules exist (to check ``--select``
and ``--ignore``) and whether a pack changed, but not the rules themselves: reading them means
importing the rulebook's classes and loading the kept rulebook, 9 ms, a tenth of such a check's
time. So this module
holds the packs' stamp and an index of their rules, kept on disk beside the pickled rulebook.
"""

from __future__ import annotations

from pathlib import Path

PacksStamp = tuple[tuple[str, int, int], ...]


class RuleFileError(Exception):
    """A rule pack that cannot be used; ``str()`` is a single line naming file, rule and field."""


# Each rule's id and category, in pack order.
RuleIndex = tuple[tuple[str, str], ...]


def builtin_rules_dir() -> Path:
    """The packs shipped inside the wheel, or ``rules/`` beside the package in a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "rules"
    return packaged if packaged.is_dir() else here.parent / "rules"


def packs_stamp(extra_dirs: tuple[Path, ...] = ()) -> PacksStamp:
    """The rule-pack files as they are on disk now (path, size, modification time): part of every
    cache key, so a long-lived process (``serve``, the daemon) picks up an edited pack. A stat per
    file, well under a millisecond for the built-in packs."""
    stamp = []
    for directory in (builtin_rules_dir(), *extra_dirs):
        for path in sorted(Path(directory).glob("*.y*ml")):
            try:
                st = path.stat()
            except OSError:
                continue  # vanished mid-listing: load_rulebook reports what is really there
            stamp.append((str(path), st.st_size, st.st_mtime_ns))
    return tuple(stamp)


def resolved(extra_dirs: tuple[Path, ...]) -> tuple[Path, ...]:
    return tuple(Path(d).resolve() for d in extra_dirs)


def cache_dirs(extra_dirs: tuple[Path, ...]) -> tuple[tuple[str, bool], ...]:
    """The extra directories as a cache key holds them: a missing one must still be an error."""
    return tuple((str(d), d.is_dir()) for d in extra_dirs)


def stamped_index(extra_dirs: tuple[Path, ...] = ()) -> tuple[RuleIndex, PacksStamp]:
    """The id and category of every rule of the built-in packs plus ``extra_dirs``, with the stamp
    of the pack files they were read from: kept on disk, and read from the packs (raising what
    reading them raises) when the packs changed."""
    from claimlint import diskcache

    dirs = resolved(extra_dirs)
    stamp = packs_stamp(dirs)

    def index() -> RuleIndex:
        from claimlint.rulebook import rulebook_for

        return tuple((rule.id, rule.category) for rule in rulebook_for(dirs, stamp).rules)

    return diskcache.remember("rule-index", (cache_dirs(dirs), stamp), index), stamp
