"""The ``claimlint`` command imports spaCy without spaCy's own command line (typer, weasel, requests),
tqdm, pydantic, multiprocessing, socket, tempfile, shutil, random or OpenSSL, spaCy's built-in
pipeline components, thinc's layers, backends, model and shims, srsly's YAML (ruamel.yaml) and
pickling, NumPy's linear algebra and docstrings, packaging's requirement parser, ``spacy.language``
and its schemas, training, scoring and matchers, ``importlib.metadata`` (for entry points no
package has), or ``importlib.abc`` with ``importlib.resources``, and everything that reads from
them still gets the real ones."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# A process that imports spaCy as the ``claimlint`` command does.
DEFERRED = "import sys\nfrom claimlint.nlp import spacy_import\nspacy_import.defer()\n"


def probe(code: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return out.splitlines()[-1].split()


def test_the_command_checks_copy_without_importing_spacys_command_line(tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_text("Our serum stimulates collagen production and cures acne.\n", encoding="utf-8")
    report = tmp_path / "report.json"
    code = (
        "import sys\n"
        "from claimlint.cli import main\n"
        "try:\n"
        f"    main(['check', '--isolated', '--no-cache', {str(copy)!r}, '-f', 'json', '-o', {str(report)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "real = [name for name, module in sys.modules.items() if type(module).__name__ == 'module']\n"
        "names = ('spacy.tokens', 'spacy.tokenizer', 'spacy.lang.en.tokenizer_exceptions', 'spacy', 'weasel',\n"
        "         'typer', 'requests', 'tqdm', 'pydantic.v1', 'spacy.pipeline', 'spacy.pipeline.dep_parser',\n"
        "         'spacy.pipeline.ner', 'spacy.pipeline.textcat', 'spacy.lang.ja', 'thinc.api', 'thinc.layers',\n"
        "         'thinc.layers.lstm', 'srsly._yaml_api', 'srsly.ruamel_yaml', 'numpy.linalg', 'numpy._typing',\n"
        "         'packaging.requirements', 'packaging.markers', 'spacy.language', 'spacy.lang.en',\n"
        "         'spacy.pipe_analysis', 'spacy.registrations', 'spacy.training', 'spacy.training.corpus',\n"
        "         'spacy.matcher', 'spacy.matcher.matcher', 'spacy.pipeline.sentencizer', 'spacy.schemas',\n"
        "         'numpy._core._add_newdocs', 'numpy._core._add_newdocs_scalars', 'importlib.metadata',\n"
        "         'importlib.abc', 'importlib.resources', 'pydantic', 'pydantic_core', 'spacy.scorer',\n"
        "         'spacy.training.example', 'multiprocessing', 'socket', 'srsly.cloudpickle', 'thinc.shims.pytorch',\n"
        "         'thinc.backends', 'thinc.model', 'thinc.optimizers', 'blis', 'tempfile', 'shutil', 'random',\n"
        "         '_hashlib')\n"
        "print(*(name in real for name in names))\n"
    )
    probe(code)  # the first check of the session's cache reads the installed entry points once
    assert probe(code) == ["True"] * 3 + ["False"] * 51
    found = {f["rule_id"] for f in json.loads(report.read_text(encoding="utf-8"))["findings"]}
    assert {"SF-COLLAGEN", "DIS-SKIN"} <= found


def test_what_reads_spacys_command_line_gets_the_real_one() -> None:
    code = (
        DEFERRED + "import claimlint.nlp.pipeline\n"
        "import spacy\n"
        "deferred = 'weasel' not in sys.modules\n"
        "data = spacy.info()\n"  # the function spaCy re-exports, called through the stand-in
        "real = type(sys.modules['spacy.cli']).__name__\n"
        "from spacy.cli import download\n"
        "import spacy.cli.train\n"
        "print(deferred, data['spacy_version'] == spacy.__version__, real, download.__module__,\n"
        "      spacy.cli is sys.modules['spacy.cli'], hasattr(spacy.cli.train, 'train_cli'))\n"
    )
    assert probe(code) == ["True", "True", "module", "spacy.cli.download", "True", "True"]


def test_an_attribute_of_the_stand_in_loads_the_real_module() -> None:
    code = (
        DEFERRED + "import claimlint.nlp.pipeline\n"
        "import spacy\n"
        "print(spacy.cli.download.__module__, type(spacy.cli).__name__)\n"
    )
    assert probe(code) == ["spacy.cli.download", "module"]


def test_what_reads_spacys_pipeline_components_gets_the_real_ones() -> None:
    code = (
        DEFERRED + "import claimlint.nlp.pipeline\n"
        "import spacy\n"
        "from spacy.pipeline import Lemmatizer\n"  # read at import: from its own module
        "deferred = type(sys.modules['spacy.pipeline']).__name__, 'spacy.pipeline.ner' in sys.modules\n"
        "tagger = spacy.pipeline.Tagger\n"  # anything else: the whole package
        "import spacy.pipeline.ner\n"
        "real = sys.modules['spacy.pipeline']\n"
        "print(*deferred, tagger.__module__, type(real).__name__, real.Lemmatizer is Lemmatizer,\n"
        "      real.lemmatizer.Lemmatizer is Lemmatizer, spacy.pipeline.ner.EntityRecognizer.__name__)\n"
    )
    assert probe(code) == [
        "_DeferredPackage",
        "False",
        "spacy.pipeline.tagger",
        "module",
        "True",
        "True",
        "EntityRecognizer",
    ]


def test_what_reads_thincs_api_gets_the_real_objects() -> None:
    code = (
        DEFERRED + "import claimlint.nlp.pipeline\n"
        "import thinc\n"
        "stand_in = thinc.api\n"
        "deferred = type(stand_in).__name__, 'thinc.layers' in sys.modules, 'thinc.backends.numpy_ops' in sys.modules\n"
        "names = sorted(spacy_import._NAMES['thinc.api'])\n"
        "handed = {name: getattr(stand_in, name) for name in names}\n"  # as spaCy's import read them
        "held = sorted(spacy_import._HELD['thinc.api'])\n"
        "later = {name: getattr(stand_in, name) for name in held}\n"
        "chain = stand_in.chain\n"  # anything else: the whole module
        "import thinc.api as real\n"
        "print(*deferred, type(real).__name__, thinc.api is real, chain is real.chain,\n"
        "      all(handed[name] is getattr(real, name) for name in names), len(names),\n"
        "      all(later[name].__name__ == getattr(real, name).__name__ for name in held), len(held),\n"
        "      isinstance(real.NumpyOps(), later['Ops']), later['Model'][int, str] is not None)\n"
    )
    assert probe(code) == [
        "_Deferred",
        "False",
        "False",
        "module",
        "True",
        "True",
        "True",
        "10",
        "True",
        "8",
        "True",
        "True",
    ]


def test_spacys_vocabulary_gets_thincs_cpu_array_module_without_thincs_backends() -> None:
    code = (
        DEFERRED + "import claimlint.nlp.pipeline\n"
        "from spacy.vocab import Vocab\n"
        "vocab = Vocab()\n"  # its vectors table, made with the current ops' array module
        "deferred = 'thinc.backends.numpy_ops' not in sys.modules, vocab.vectors.data.shape, vocab.vectors.data.dtype\n"
        "spacy_import.attach()\n"
        "from thinc.api import get_current_ops, NumpyOps\n"
        "import spacy.vocab\n"
        "ops = spacy.vocab.get_current_ops()\n"  # what spaCy's vocabulary holds, once the backends are in
        "print(*deferred, type(ops).__name__, type(get_current_ops()).__name__, isinstance(ops, NumpyOps))\n"
    )
    assert probe(code) == ["True", "(0,", "0)", "float32", "NumpyOps", "NumpyOps", "True"]


def test_what_reads_srslys_yaml_gets_the_real_functions(tmp_path: Path) -> None:
    path = tmp_path / "config.yml"
    code = (
        DEFERRED + "import claimlint.nlp.pipeline\n"
        "import srsly\n"
        "deferred = type(srsly._yaml_api).__name__, 'srsly.ruamel_yaml' in sys.modules\n"
        f"srsly.write_yaml({str(path)!r}, {{'rules': ['SF-COLLAGEN'], 'markets': {{'us': True}}}})\n"
        f"data = srsly.read_yaml({str(path)!r})\n"
        "import srsly._yaml_api as real\n"
        "print(*deferred, data == {'rules': ['SF-COLLAGEN'], 'markets': {'us': True}}, srsly.yaml_loads('a: 1'),\n"
        "      type(real).__name__, srsly._yaml_api is real, srsly.is_yaml_serializable(data), srsly.yaml_dumps.__name__)\n"
    )
    assert probe(code) == ["_Deferred", "False", "True", "{'a':", "1}", "module", "True", "True", "yaml_dumps"]
    assert path.read_text(encoding="utf-8").startswith("rules:")


def test_what_reads_numpys_linear_algebra_gets_the_real_one() -> None:
    code = (
        DEFERRED + "import claimlint.nlp.pipeline\n"
        "import numpy as np\n"
        "deferred = type(np.linalg).__name__, 'numpy.linalg._linalg' in sys.modules\n"
        # the functions NumPy's own modules took from the stand-in while spaCy was imported
        "fit = np.polyfit([0, 1, 2], [1, 3, 5], 1).round(6).tolist()\n"
        "square = (np.matrix([[1, 2], [3, 4]]) ** 2).tolist()\n"
        "inverse = np.matrix([[2.0, 0.0], [0.0, 4.0]]).I.tolist()\n"
        "from numpy.linalg import inv\n"
        "import numpy.linalg as real\n"
        "print(*deferred, fit, square, inverse, type(real).__name__, np.linalg is real, inv is real.inv,\n"
        "      np.linalg.norm([3.0, 4.0]))\n"
    )
    assert probe(code) == [
        "_DeferredPackage", "False", "[2.0,", "1.0]", "[[7,", "10],", "[15,", "22]]", "[[0.5,", "0.0],", "[0.0,",
        "0.25]]", "module", "True", "True", "5.0",
    ]  # fmt: skip


def test_numpys_docstrings_are_set_once_their_module_is_read() -> None:
    code = (
        DEFERRED + "import claimlint.nlp.pipeline\n"
        "import numpy as np\n"
        "import numpy._core._add_newdocs as docs\n"
        "left_out = type(docs).__name__, np.zeros.__doc__ is None, np.float64.__doc__ is None, np.zeros(2).sum()\n"
        "docs.add_newdoc\n"  # anything read from the stand-in imports the real module, which sets them
        "import numpy._core._add_newdocs_scalars as scalars\n"
        "scalars.add_newdoc_for_scalar_type\n"
        "real = type(sys.modules['numpy._core._add_newdocs']).__name__\n"
        "print(*left_out, real, np.zeros.__doc__.split()[0], np.float64.__doc__.split()[0])\n"
    )
    assert probe(code) == ["_Deferred", "True", "True", "0.0", "module", "zeros(shape,", "Double-precision"]


def _install(site: Path, name: str, group: str, entry: str) -> None:
    # A distribution as pip leaves it, with one entry point.
    info = site / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[{group}]\n{entry}\n", encoding="utf-8")


def test_catalogue_finds_the_installed_entry_points_and_notices_an_install(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    _install(site, "claimlint_probe_a", "claimlint_probe_first", "dumps = json:dumps")
    code = (
        DEFERRED + f"sys.path.append({str(site)!r})\n" + "import claimlint.nlp.pipeline\n"
        "import catalogue, json\n"
        "kept = type(sys.modules['importlib.metadata']).__name__\n"
        "first = catalogue.create('claimlint_probe', 'first', entry_points=True).get_all()\n"
        "second = catalogue.create('claimlint_probe', 'second', entry_points=True).get_all()\n"
        "none = catalogue.create('claimlint_probe', 'none', entry_points=True).get_all()\n"
        "from importlib.metadata import EntryPoint, version\n"
        "print(kept, first == {'dumps': json.dumps}, sorted(second), none, EntryPoint.__module__,\n"
        "      version('claimlint_probe_a'))\n"
    )
    env = {**os.environ, "CLAIMLINT_CACHE_DIR": str(tmp_path / "cache")}

    def run() -> list[str]:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
        return out.stdout.split()

    answer = ["True", "[]", "{}", "importlib.metadata", "1.0"]
    assert run() == ["module", *answer]  # the first run reads every package's entry points
    assert run() == ["_DeferredPackage", *answer]  # the next, only those of the groups that have some
    assert any(entry.name.startswith("entry-point-groups-") for entry in (tmp_path / "cache").iterdir())
    _install(site, "claimlint_probe_b", "claimlint_probe_second", "loads = json:loads")
    assert run()[:3] == ["module", "True", "['loads']"]  # a package installed since: its group is read


def test_a_module_of_numpys_linear_algebra_imports_alone() -> None:
    # A module of a deferred package imported by name, before anything has read from the package.
    code = (
        DEFERRED + "import claimlint.nlp.pipeline\n"
        "import numpy as np\n"
        "import numpy.linalg._linalg as alone\n"
        "deferred = type(sys.modules['numpy.linalg']).__name__\n"
        "print(deferred, alone.LinAlgError is np.linalg.LinAlgError, np.linalg._linalg is alone,\n"
        "      type(np.linalg).__name__, np.linalg.det([[1.0, 2.0], [3.0, 4.0]]).round(6))\n"
    )
    assert probe(code) == ["_DeferredPackage", "True", "True", "module", "-2.0"]


def test_what_reads_packagings_requirements_gets_the_real_class() -> None:
    code = (
        DEFERRED + "import claimlint.nlp.pipeline\n"
        "import spacy.util\n"
        "deferred = type(sys.modules['packaging.requirements']).__name__\n"
        "split = spacy.util.split_requirement('spacy>=3.8.0,<3.9.0')\n"  # the function spaCy imports it for
        "from packaging.requirements import Requirement\n"  # after spaCy's import: the class itself
        "print(deferred, *split, type(Requirement).__name__, isinstance(Requirement('numpy>=2'), Requirement))\n"
    )
    assert probe(code) == ["_Deferred", "spacy", "<3.9.0,>=3.8.0", "type", "True"]


def test_what_reads_spacys_package_gets_the_real_one() -> None:
    code = (
        DEFERRED + "import warnings\n"
        "from claimlint.nlp.pipeline import load\n"
        "import spacy\n"
        "_, pipeline = load()\n"
        "deferred = [type(sys.modules[n]).__name__ for n in ('spacy', 'spacy.lang.en', 'spacy.training')]\n"
        "filters = set(warnings.filters)\n"
        "from spacy.errors import setup_default_warnings\n"
        "setup_default_warnings()\n"  # spaCy's __init__ sets these first: the stand-in did too
        "same_filters = set(warnings.filters) == filters\n"
        "nlp = pipeline.language()\n"  # spaCy's Language around the same tokenizer and components
        "blank = spacy.blank('en')\n"
        "from spacy.lang.en import English\n"
        "from spacy.training import Example\n"
        "from spacy.matcher import Matcher\n"
        "text = 'It cures acne, e.g. in 3 days.'\n"
        "from spacy.tokens import Doc\n"
        "doc = pipeline(text)\n"
        "back = Doc(doc.vocab).from_json(doc.to_json(), validate=True)\n"  # validated by spaCy's schemas
        "assert [t.text for t in back] == [t.text for t in doc]\n"
        "print(*deferred, same_filters, type(sys.modules['spacy']).__name__, isinstance(blank, English),\n"
        "      [t.text for t in nlp(text)] == [t.text for t in blank(text)], len(nlp(text)._.claims) > 0,\n"
        "      spacy.Language is sys.modules['spacy.language'].Language, Example.__module__, Matcher.__name__)\n"
    )
    assert probe(code) == [
        "_DeferredPackage",
        "_DeferredPackage",
        "_DeferredPackage",
        "True",
        "module",
        "True",
        "True",
        "True",
        "True",
        "spacy.training.example",
        "Matcher",
    ]


def test_where_spacy_is_installed_is_found_as_without_the_stand_in() -> None:
    import importlib.util

    import spacy

    code = (
        DEFERRED + "import importlib.util\n"
        "before = importlib.util.find_spec('spacy').origin\n"  # the disk cache stamps spaCy's files
        "import claimlint.nlp.pipeline\n"
        "import spacy\n"
        "print(type(spacy).__name__, before, importlib.util.find_spec('spacy').origin, spacy.__file__)\n"
    )
    origin = importlib.util.find_spec("spacy").origin  # type: ignore[union-attr]
    assert probe(code) == ["_DeferredPackage", origin, origin, spacy.__file__]


def test_a_phrase_matcher_on_another_attribute_gets_spacys_schemas() -> None:
    code = (
        DEFERRED + "from claimlint.nlp.pipeline import load\n"
        "vocab = load()[1].vocab\n"  # the tokenizer's phrase matcher is on ORTH: no schema read
        "deferred = type(sys.modules['spacy.schemas']).__name__\n"
        "from spacy.matcher.phrasematcher import PhraseMatcher\n"
        "from spacy.tokens import Doc\n"
        "matcher = PhraseMatcher(vocab, attr='LOWER')\n"
        "matcher.add('ACNE', [Doc(vocab, words=['acne'])])\n"
        "found = [(start, end) for _, start, end in matcher(Doc(vocab, words=['Cures', 'ACNE']))]\n"
        "try:\n"
        "    PhraseMatcher(vocab, attr='NO_SUCH_ATTR')\n"
        "    refused = False\n"
        "except ValueError as error:\n"
        "    refused = 'E152' in str(error)\n"
        "from spacy.schemas import TokenPattern\n"
        "print(deferred, *found, refused, type(sys.modules['spacy.schemas']).__name__, TokenPattern.__name__,\n"
        "      'orth' in TokenPattern().model_dump())\n"
    )
    assert probe(code) == ["_Deferred", "(1,", "2)", "True", "module", "TokenPattern", "True"]


def test_the_library_leaves_spacy_as_it_is() -> None:
    code = (
        "import sys\n"
        "from claimlint import Linter\n"
        "Linter().lint_text('Cures acne.')\n"
        "print(type(sys.modules['spacy.cli']).__name__, 'weasel' in sys.modules)\n"
    )
    assert probe(code) == ["module", "True"]


def test_spacys_training_gets_the_real_tqdm_and_a_caller_the_real_pydantic_v1() -> None:
    code = (
        DEFERRED + "import claimlint.nlp.pipeline\n"
        "import confection.validation\n"
        "import spacy.training.loggers as loggers\n"
        "skipped = 'pydantic.v1' not in sys.modules and type(sys.modules['tqdm']).__name__\n"
        "bar = loggers.tqdm.tqdm(total=3, disable=True)\n"  # how spaCy's training loop makes one
        "from tqdm import trange\n"
        "import pydantic.v1\n"
        "print(skipped, type(bar).__name__, trange.__module__, pydantic.v1.BaseModel.__module__,\n"
        "      confection.validation._PydanticV1BaseModel, spacy_import._FINDER in sys.meta_path)\n"
    )
    assert probe(code) == ["_Deferred", "tqdm", "tqdm.std", "pydantic.v1.main", "None", "False"]


def test_pydantic_v1_is_found_while_anything_but_confection_imports() -> None:
    code = (
        DEFERRED + "import pydantic.v1\n"  # before spaCy, by someone else: the finder stands aside
        "import claimlint.nlp.pipeline\n"
        "import confection.validation\n"
        "print(pydantic.v1.BaseModel.__module__, confection.validation._PydanticV1BaseModel is pydantic.v1.BaseModel)\n"
    )
    assert probe(code) == ["pydantic.v1.main", "True"]


def test_confection_gets_pydantics_classes_once_pydantic_is_imported() -> None:
    code = (
        DEFERRED + "import claimlint.nlp.pipeline\n"
        "import confection.validation as validation\n"
        "spacy_import.attach()\n"
        "skipped = 'pydantic' not in sys.modules and validation._PydanticV2BaseModel\n"
        "import pydantic\n"  # by a trained pipeline's schemas, a settings file, a caller
        "class Settings(pydantic.BaseModel):\n"
        "    size: int = 1\n"
        "print(skipped, validation._is_pydantic_model(Settings), validation._PydanticV2ValidationError is\n"
        "      pydantic.ValidationError, type(pydantic.__loader__).__name__, spacy_import._FINDER in sys.meta_path)\n"
    )
    assert probe(code) == ["None", "True", "True", "SourceFileLoader", "False"]


def test_spacys_configuration_is_validated_by_its_pydantic_schemas_as_without_the_stand_ins() -> None:
    code = (
        DEFERRED + "from claimlint import Linter\n"
        "Linter().lint_text('Cures acne.')\n"
        "spacy_import.attach()\n"
        "import spacy\n"
        "from confection import ConfigValidationError\n"
        "try:\n"
        "    spacy.blank('en', config={'nlp': {'batch_size': 'many'}})\n"
        "except ConfigValidationError as error:\n"
        "    print(len(str(error).splitlines()), [line.split()[0] for line in str(error).splitlines() if 'integer' in line])\n"
    )
    assert probe(code)[1:] == ["['batch_size']"]


def test_what_reads_the_tokenizers_scoring_sockets_processes_pickles_and_shims_gets_the_real_ones() -> None:
    code = (
        DEFERRED + "import claimlint.nlp.pipeline\n"
        "from claimlint.nlp import english, tokenizer as claimlint_tokenizer\n"
        "tokenizer = claimlint_tokenizer.build(english.ClaimDefaults, 'en')\n"  # as a check builds it
        "spacy_import.attach()\n"
        "left = [name for name in ('spacy.training.example', 'socket', 'multiprocessing', 'srsly.cloudpickle',\n"
        "        'thinc.shims.pytorch') if name in sys.modules]\n"
        "from spacy.training import Example\n"
        "import spacy.tokenizer, spacy.util, srsly, wasabi.printer, socket, multiprocessing\n"
        "doc = tokenizer('Cures acne fast.')\n"
        "scores = tokenizer.score([Example(doc, tokenizer('Cures acne fast.'))])\n"  # validate_examples, Scorer
        "port = spacy.util.find_available_port(8000, 'localhost')\n"  # the socket spacy.util bound
        "process = wasabi.printer.Process(target=print)\n"  # the Process wasabi bound
        "from thinc.shims import PyTorchShim\n"
        "print(left == [], scores['token_acc'], port >= 8000, type(process).__name__,\n"
        "      type(socket).__name__, type(multiprocessing).__name__, srsly.pickle_loads(srsly.pickle_dumps([1]))[0],\n"
        "      isinstance(scores, dict), PyTorchShim.__name__, spacy.tokenizer.Scorer.__name__)\n"
    )
    assert probe(code) == ["True", "1.0", "True", "Process", "module", "module", "1", "True", "PyTorchShim", "Scorer"]
