"""Context components: what the words around a candidate claim do to it.

Each reading gets the doc's candidate claims (``doc._.claims``) and records what it saw in
``candidate.context`` (``negated``, ``hedged``, ``question``); the engine turns that into dropping
or lowering a finding.
The reason is kept as the words that caused it, so the JSON report shows why.
"""

from __future__ import annotations

from typing import Final

from spacy.strings import get_string_id
from spacy.tokens import Doc

from claimlint.document import MARKER, normalize_marker
from claimlint.nlp.matcher import Candidate, get_claims
from claimlint.nlp.sentence import SentenceView

# Lemmas that negate what follows them in the same clause ("contains no human-derived …").
# Each cue reaches a few words: a determiner ("no", "zero") only its own noun phrase, an adverb or
# preposition ("not", "never", "without") a short verb group ("is not intended to treat").
NEGATION_CUES: Final = {
    "no": 2,
    "zero": 2,
    "non": 1,
    "nor": 2,
    "neither": 2,
    "none": 2,
    "not": 4,
    "n't": 4,
    "never": 4,
    "without": 4,
    "nothing": 3,
}
# After these, a negation cue does not negate ("not only", "not just").
NEGATION_RELEASE: Final = frozenset({"only", "just", "merely", "simply"})
# Words that end the reach of a negation looking forward.
CLAUSE_BREAKS: Final = frozenset({"but", "while", "whereas", "yet", "so", "because", "which", "that"})
NEGATION_REACH: Final = 4

# Appearance hedges: "reduces the appearance of", "visibly firmer", "younger-looking".
APPEARANCE_CUES: Final = frozenset(
    {
        "appearance",
        "look",
        "visibly",
        "visible",
        "visual",
        "visually",
        "seemingly",
        "feel",
        "apparent",
        "apparently",
        "optically",
    }
)
APPEARANCE_AFTER: Final = frozenset({"look"})


# Cues that may reach across a short list ("not intended to diagnose, treat, cure or prevent …").
LIST_CROSSING_CUES: Final = frozenset({"no", "not", "n't", "never", "without", "free of"})
LIST_SEPARATORS: Final = frozenset({",", "or", "and", "nor", "&"})
# Words that may open a list item before the claim and still leave it a bare item: "no exosomes,
# stem cells or any ingredient of human origin".
ITEM_DETERMINERS: Final = frozenset({"any", "a", "an", "the", "other", "all"})
# A sentence with these is a disclaimer: nothing in it is a claim.
DISCLAIMER_CUES: Final = (
    ("not", "intend", "to"),
    ("not", "intend", "for"),
    ("not", "be", "evaluate"),
    ("not", "been", "evaluate"),
)
_DISCLAIMER_FIRST: Final = frozenset(cue[0] for cue in DISCLAIMER_CUES)


def annotate(doc: Doc) -> Doc:
    """Every context reading, in order, on a doc's candidate claims (most docs have none: one
    component rather than six keeps spaCy's per-component cost off them)."""
    claims = get_claims(doc)
    if claims:
        for reading in (negation, hedge, question, testimonial, footnote, attribution):
            reading(doc, claims)
    return doc


def negation(doc: Doc, claims: list[Candidate]) -> Doc:
    """Marks claims a negation cue before them cancels: "free of human-derived ingredients"."""
    disclaimers: dict[int, bool] = {}
    for cand in claims:
        if not cand.rule.negatable:
            continue
        key = id(cand.view)
        if key not in disclaimers:
            disclaimers[key] = _is_disclaimer(cand.view.lemmas)
        if disclaimers[key]:
            cand.context["negated"] = "disclaimer"
            continue
        cue = _negation_before(cand) or _negation_between(cand)
        if cue:
            cand.context["negated"] = cue
    return doc


def _is_disclaimer(lemmas: list[str]) -> bool:
    if _DISCLAIMER_FIRST.isdisjoint(lemmas):
        return False
    for cue in DISCLAIMER_CUES:
        n = len(cue)
        if any(tuple(lemmas[i : i + n]) == cue for i in range(len(lemmas) - n + 1)):
            return True
    return False


BETWEEN_REACH: Final = 4


def _negation_between(cand: Candidate) -> str | None:
    """A cue between the two parts of a pair: "exosomes are not derived from human cells"."""
    if len(cand.parts) < 2:
        return None
    # The two parts in the order they stand (by start; on a tie, as named): sorting them with a
    # key function cost two fifths of this reading.
    (s1, e1), (s2, e2) = cand.parts.values()
    if s2 < s1:
        (s1, e1), (s2, e2) = (s2, e2), (s1, e1)
    view = cand.view
    # Only a cue close before the second part negates it, and not across a clause break:
    # "cysts that would not heal, and within a week they were healed" is not negated.
    for i in range(s2 - 1, max(e1, s2 - BETWEEN_REACH) - 1, -1):
        lemma = view.lemmas[i]
        if lemma in CLAUSE_BREAKS or lemma in LIST_SEPARATORS:
            return None
        if lemma in NEGATION_CUES and not (i + 1 < len(view.lemmas) and view.lemmas[i + 1] in NEGATION_RELEASE):
            return view.lowers[i]
    return None


def _negation_before(cand: Candidate) -> str | None:
    view = cand.view
    lemmas = view.lemmas
    segment = view.segments[cand.word_start]
    dist = 0  # words between the cue and the claim (or the list item the claim belongs to)
    item = 0  # words in the list item being walked through
    crossed = False
    own_determiner = False  # the claim's list item opens with its own "a", "any", "the"…
    i = cand.word_start - 1
    while i >= 0 and view.segments[i] == segment and dist <= 6:
        lemma = lemmas[i]
        if lemma in LIST_SEPARATORS:
            if lemma == "," and i + 1 == cand.word_start and _closes_relative_clause(view, i):
                return None
            # Cross a short list only when the claim itself is a bare item of it, and only short items.
            if not crossed:
                opening = lemmas[i + 1 : cand.word_start]
                if not all(w in ITEM_DETERMINERS for w in opening):
                    return None
                own_determiner = bool(opening)
            elif item > 2:
                return None
            crossed, dist, item = True, 0, 0
            i -= 1
            continue
        if lemma in CLAUSE_BREAKS:
            return None
        dist += 1
        item += 1
        cue = None
        reach = NEGATION_CUES.get(lemma)
        if lemma == "free" and i + 1 < len(lemmas) and lemmas[i + 1] in ("of", "from"):
            cue, reach = "free of", 4
        elif reach is not None:
            cue = view.lowers[i]
            if i + 1 < len(lemmas) and lemmas[i + 1] in NEGATION_RELEASE:
                return None
        if cue is not None and reach is not None and dist <= reach:
            if crossed and (cue if cue == "free of" else lemma) not in LIST_CROSSING_CUES:
                return None
            # "no parabens, sulfates or human exosomes": one "no" spans the list; but in "no
            # downtime, no needles, regrows hair" each item carries its own, and the claim has none,
            # and in "no fillers, and a facelift in a jar" the claim has its own determiner.
            if crossed and lemma == "no" and (own_determiner or "no" in lemmas[max(0, i - 6) : i]):
                return None
            return cue
        i -= 1
    # "human-derived-ingredient-free"
    end = cand.word_end
    if end < len(lemmas) and lemmas[end] == "free" and view.segments[end] == segment:
        return "free"
    return None


RELATIVE_OPENERS: Final = frozenset({"which", "who", "that"})


def _closes_relative_clause(view: SentenceView, comma: int) -> bool:
    """Whether ``comma`` ends a clause opened by ", which": "This serum, which is not tested on
    animals, regrows hair": the negation is the clause's, not the claim's."""
    segment = view.segments[comma]
    first = comma
    while first > 0 and view.segments[first - 1] == segment:
        first -= 1
    return first > 0 and view.lowers[first] in RELATIVE_OPENERS


def hedge(doc: Doc, claims: list[Candidate]) -> Doc:
    """Marks appearance hedges inside or just around a claim: "reduces the appearance of wrinkles"."""
    for cand in claims:
        cue = _appearance_cue(cand)
        if cue:
            cand.context["hedged"] = cue
    return doc


def _appearance_cue(cand: Candidate) -> str | None:
    view = cand.view
    segment = view.segments[cand.word_start]
    lo = max(0, cand.word_start - 2)
    for i in range(lo, cand.word_end):
        if view.segments[i] == segment and view.lemmas[i] in APPEARANCE_CUES:
            return view.lowers[i]
    end = cand.word_end
    if end < len(view.lemmas) and view.segments[end] == segment and view.lemmas[end] in APPEARANCE_AFTER:
        return view.lowers[end]
    return None


_QUESTION_MARK: Final = get_string_id("?")
YES: Final = frozenset({"yes", "yep", "absolutely", "definitely", "certainly", "indeed", "sure"})
NO: Final = frozenset({"no", "nope", "not"})


def question(doc: Doc, claims: list[Candidate]) -> Doc:
    """Marks claims made as a question ("Can exosomes regrow hair?") and how the copy answers it:
    ``question`` (implied), ``answered yes`` (asserted after all) or ``answered no`` (not a claim)."""
    strings = doc.vocab.strings
    for cand in claims:
        view = cand.view
        # The sentence's last token but spaces, by id: most sentences end otherwise than in "?".
        orths: list[int] = view.orths
        last = view.end - 1
        while last >= view.start and strings[orths[last]].isspace():
            last -= 1
        if last < view.start or orths[last] != _QUESTION_MARK:
            continue
        sent = view.sent
        answer = next((t for t in doc[sent.end : view.block_end] if not t.is_space and not t.is_punct), None)
        word = answer.lower_ if answer is not None else ""
        if word in YES:
            cand.context["question"] = "answered yes"
        elif word in NO:
            cand.context["question"] = "answered no"
        else:
            cand.context["question"] = sent.text.strip()[-80:]
    return doc


FIRST_PERSON: Final = frozenset({"i", "my", "me", "mine", "myself", "i'm", "i've", "i'd"})
REPORTERS: Final = frozenset(
    {"client", "customer", "user", "reviewer", "patient", "buyer", "fan", "mum", "mom", "people", "tester"}
)
REPORTING: Final = frozenset({"say", "tell", "report", "rave", "swear", "write", "share", "claim", "agree"})
OPENING_QUOTES: Final = frozenset({"“", "«", "„"})
CLOSING_QUOTES: Final = frozenset({"”", "»"})


def testimonial(doc: Doc, claims: list[Candidate]) -> Doc:
    """Marks claims made in a testimonial: quoted, in the first person, or reported ("clients tell
    us it cleared their acne"). A testimonial the seller publishes is the seller's claim."""
    if not claims:
        return doc
    quoted: dict[int, list[tuple[int, int]]] = {}  # by block: quote marks pair within a block
    voices: dict[int, str] = {}  # by sentence (its view's id): whose words the sentence says they are
    for cand in claims:
        if cand.rule.category == "testimonial":
            continue
        view = cand.view
        ranges = quoted.get(view.block)
        if ranges is None:
            ranges = quoted[view.block] = _quoted_ranges(view.orths, view.block_start, view.block_end)
        if any(s <= cand.start and cand.end <= e for s, e in ranges):
            cand.context["testimonial"] = "quoted"
            continue
        key = id(view)
        voice = voices.get(key)
        if voice is None:
            voice = voices[key] = _voice(view)
        if voice:
            cand.context["testimonial"] = voice
    return doc


def _voice(view: SentenceView) -> str:
    """A sentence's testimonial reading, "" for none (the same for each of its claims)."""
    if not view.lower_set().isdisjoint(FIRST_PERSON):
        return "first person"
    lemmas = view.lemma_set()
    if not lemmas.isdisjoint(REPORTERS) and not lemmas.isdisjoint(REPORTING):
        return "reported"
    return ""


def _quoted_ranges(orths: list[int], lo: int, hi: int) -> list[tuple[int, int]]:
    """Token ranges inside quotation marks (curly quotes, guillemets, or paired straight quotes),
    from the ids of a doc's tokens, among tokens ``[lo, hi)`` (a block of the doc)."""
    # Quote marks are rare: most blocks are told apart by one set operation in C.
    if _OPENING_IDS.isdisjoint(orths[lo:hi]):
        return []
    ranges: list[tuple[int, int]] = []
    start: int | None = None
    for i in range(lo, hi):
        orth = orths[i]
        if start is None and orth in _OPENING_IDS:
            start = i + 1
        elif start is not None and orth in _CLOSING_IDS:
            ranges.append((start, i))
            start = None
    return ranges


# Token ids are hashes of the text, the same in every pipeline.
_OPENING_IDS: Final = frozenset(get_string_id(q) for q in (*OPENING_QUOTES, '"'))
_CLOSING_IDS: Final = frozenset(get_string_id(q) for q in (*CLOSING_QUOTES, '"'))


FOOTNOTED: Final = frozenset({"quantified", "proof"})


def footnote(doc: Doc, claims: list[Candidate]) -> Doc:
    """Marks a quantified or proof claim followed, in its sentence, by a footnote marker
    ("clinically proven*", "90% fewer wrinkles¹"); the engine looks the footnote up."""
    strings = doc.vocab.strings
    for cand in claims:
        if cand.rule.category not in FOOTNOTED:
            continue
        orths: list[int] = cand.view.orths
        # The marker may follow the sentence's full stop ("…in 4 weeks.†") and so open the next one.
        for i in range(cand.start, min(cand.view.end + 1, cand.view.block_end)):
            orth = orths[i]
            marker = _MARKERS.get(orth)
            if marker is None:
                if len(_MARKERS) > 100_000:
                    _MARKERS.clear()
                marker = _MARKERS[orth] = MARKER.match(strings[orth]) is not None
            if marker:
                cand.context["footnote_marker"] = normalize_marker(strings[orth])
                break
    return doc


# Whether a token is a footnote marker, by its id: a regular expression once per distinct token
# (token ids are hashes of the text, the same in every pipeline).
_MARKERS: Final[dict[int, bool]] = {}


# Someone else's claim, reported: "brands that claim exosomes cure acne", "the FDA warned…".
ATTRIBUTION_CUES: Final = frozenset({"claim", "allege", "allegedly", "accuse", "purport", "purportedly"})
AUTHORITIES: Final = frozenset(
    {
        "fda",
        "ftc",
        "asa",
        "mhra",
        "regulator",
        "agency",
        "watchdog",
        "court",
        "authority",
        "commission",
        "article",
        "news",
        "journalist",
    }
)
ENFORCEMENT: Final = frozenset(
    {"warn", "cite", "fine", "ban", "sue", "prosecute", "investigate", "seize", "recall", "describe", "report"}
)


# A sentence about what the law allows ("human-derived ingredients are banned in EU cosmetics").
LEGAL_STATUS: Final = frozenset(
    {"ban", "banned", "prohibit", "prohibited", "illegal", "unlawful", "forbid", "forbidden", "permit", "permitted"}
)
# "Exosome therapy is not approved by the FDA": the claim words are the subject of a denied approval
# (lemmas: "isn't licensed" reads "be not license").
APPROVAL: Final = frozenset({"approve", "authorise", "authorize", "license"})
_BEFORE_DENIAL: Final = frozenset({"be", "have", "currently", "still", "yet", "legally"})
_DENIAL: Final = frozenset({"not", "never"})
# "Microneedling should only be performed by a trained professional": about a procedure, not a claim.
PROFESSIONAL_ONLY: Final = frozenset({"perform", "performed", "administer", "administered", "carry"})
PROFESSIONALS: Final = frozenset(
    {"professional", "practitioner", "clinician", "doctor", "nurse", "physician", "dermatologist"}
)


# Each test below but the approval's needs one of these among a sentence's lemmas: most sentences
# hold none, and one intersection tells them apart where up to six tests did.
_ATTRIBUTION_WORDS: Final = ATTRIBUTION_CUES | LEGAL_STATUS | PROFESSIONAL_ONLY | AUTHORITIES


def attribution(doc: Doc, claims: list[Candidate]) -> Doc:
    """Marks claims that the copy attributes to someone else: news text, regulator warnings,
    "unlike brands that claim…", statements of what the law bans. They are not the seller's claims."""
    found: dict[int, frozenset[str]] = {}  # by sentence (its view's id): the cues it holds
    for cand in claims:
        view = cand.view
        lemmas = view.lemma_set()
        key = id(view)
        cues = found.get(key)
        if cues is None:
            cues = found[key] = lemmas & _ATTRIBUTION_WORDS
        if cues and not cues.isdisjoint(ATTRIBUTION_CUES):
            if not set(view.lemmas[: cand.word_start]).isdisjoint(ATTRIBUTION_CUES):
                cand.context["attributed"] = "claim reported, not made"
                continue
        if cues and not cues.isdisjoint(LEGAL_STATUS):
            cand.context["attributed"] = "statement about the law"
            continue
        if _approval_denied(view.lemmas, cand.word_end):
            cand.context["attributed"] = "statement about the law"
            continue
        if cues and "by" in lemmas and not cues.isdisjoint(PROFESSIONAL_ONLY) and not lemmas.isdisjoint(PROFESSIONALS):
            cand.context["attributed"] = "procedure left to professionals"
            continue
        if cues and not cues.isdisjoint(AUTHORITIES) and not lemmas.isdisjoint(ENFORCEMENT):
            cand.context["attributed"] = "regulator or news report"
    return doc


def _approval_denied(lemmas: list[str], end: int) -> bool:
    """Whether the words after a claim deny it an approval: "... is not (yet) approved", "... has
    never been authorised". Only auxiliaries may stand between, so the claim is what is denied."""
    i, n = end, len(lemmas)
    while i < n and lemmas[i] in _BEFORE_DENIAL:
        i += 1
    if i == n or lemmas[i] not in _DENIAL:
        return False
    i += 1
    while i < n and lemmas[i] in _BEFORE_DENIAL:
        i += 1
    return i < n and lemmas[i] in APPROVAL
