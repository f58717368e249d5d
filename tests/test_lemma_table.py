"""The lemma table looked up where it lies (claimlint.nlp.lemmas.LemmaTable): the same answers as
spacy-lookups-data's table read into a dict, for every word and lemma it has and for words it has
not, from the disk cache as when just built."""

from __future__ import annotations

import random
from pathlib import Path

from claimlint.nlp.lemmas import LemmaTable, Lemmatizer, _read_table, _table_file, lemma_table, lookup_table


def _package_table() -> dict[str, str]:
    return _read_table(_table_file()[0])


def test_every_word_of_the_package_has_its_lemma_and_every_lemma_is_known() -> None:
    words = _package_table()
    table = LemmaTable.build(words)
    assert len(table) == len(words) == 41_582
    assert [word for word, lemma in words.items() if table.get(word) != lemma] == []
    lemmas = set(words.values())
    assert [lemma for lemma in lemmas if lemma not in table] == []
    assert table.get("stimulates") == "stimulate"
    assert table.get("Stimulates") is None  # case-sensitive, as the package's table is


def test_words_the_table_has_not_are_not_found() -> None:
    words = _package_table()
    lemmas = set(words.values())
    table = LemmaTable.build(words)
    rng = random.Random(7)
    letters = "aeinorstlcdmuhp'-é"
    tried = {"".join(rng.choice(letters) for _ in range(rng.randint(1, 10))) for _ in range(50_000)}
    tried |= {word[:-1] for word in list(words)[:5_000]} | {word + "s" for word in list(words)[:5_000]}
    tried |= {"", "\udcff", "naïve", "exosomes"}
    assert [w for w in tried if table.get(w) != words.get(w)] == []
    assert [w for w in tried if (w in table) != (w in words or w in lemmas)] == []


def test_a_lemma_that_is_no_word_is_known_but_has_no_lemma() -> None:
    table = LemmaTable.build({"mice": "mouse", "geese": "goose", "goose": "goose"})
    assert (table.get("mice"), table.get("mouse"), "mouse" in table, "mou" in table) == ("mouse", None, True, False)
    assert (table.get("goose"), len(table)) == ("goose", 3 - 1 + 1)


def test_the_table_read_back_from_the_cache_answers_as_the_one_built(cache: Path) -> None:
    built = lemma_table()
    assert list(cache.glob("lemma-table-*.pickle"))
    read = lemma_table()
    assert read.state() == built.state()
    words = lookup_table()
    assert [word for word, lemma in words.items() if read.get(word) != lemma] == []


def test_the_lemmatizer_reads_the_table_and_folds_british_spellings() -> None:
    lemma = Lemmatizer(LemmaTable.build({"colors": "color", "minimizes": "minimize", "minimize": "minimize"})).lemma
    assert [lemma(w) for w in ("Colours", "minimises", "serums", "minimize")] == [
        "color",
        "minimize",
        "serum",
        "minimize",
    ]
