"""The hygiene probe: secrets (masked) and binaries committed to git."""

from __future__ import annotations

from probes.hygiene import PROBE
from tests.probes.helpers import kinds, run

KEY = "0123456789abcdef0123456789abcdef01234567"


def test_secrets_are_found_and_never_shown(make_view):
    files = {
        "dockerfiles/train.dockerfile": f"FROM python\nENV WANDB_API_KEY={KEY}\n",
        "src/log.py": f'import wandb\nwandb.login(key="{KEY}")\n',
        "keys/sa.json": '{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\nabc"}\n',
    }
    found = kinds(run(PROBE, make_view(files)))["hygiene.secret"]
    assert {(f.path, f.line) for f in found} == {
        ("dockerfiles/train.dockerfile", 2),
        ("src/log.py", 2),
        ("keys/sa.json", 1),
    }
    assert all(KEY not in f.snippet and KEY not in f.message and "masked" in f.snippet for f in found)


def test_a_wandb_key_is_found_in_mixed_case_and_only_under_its_name(make_view):
    files = {
        "a.env": f"Wandb_Api_Key={KEY}\n",
        "b.py": f'import wandb\nWANDB.LOGIN(KEY="{KEY}")\n',
        "c.py": f"wandb_api_key = '{KEY}'\n",
        "d.py": f"api = '{KEY}'  # a hash, named nothing like a W&B key\n",
        "e.env": f"WANDB_API_\u212aEY={KEY}\n",  # a Kelvin sign: "k" when case is ignored
        "f.env": f"WANDB_AP\u0131_KEY={KEY}\n",  # a dotless i: "i" when case is ignored
        "g.py": f"# caf\u00e9\nWandB_API_key = '{KEY}'\n",  # text that is not all ASCII
    }
    found = kinds(run(PROBE, make_view(files)))["hygiene.secret"]
    assert sorted(f.path for f in found) == ["a.env", "b.py", "c.py", "e.env", "f.env", "g.py"]


def test_placeholders_are_not_secrets(make_view):
    files = {".env.example": "WANDB_API_KEY=your-key-here\n", "a.py": "key = os.environ['WANDB_API_KEY']\n"}
    assert run(PROBE, make_view(files)) == []


def test_models_large_data_and_run_folders(make_view):
    files = {
        "models/model.pt": b"\x80\x02" + b"0" * 100,
        "data/raw/big.csv": "1,2\n" * 300_000,
        "data/raw/small.csv": "1,2\n",
        "wandb/run-1/files/config.yaml": "a: 1\n",
        "wandb/run-1/run-1.wandb": b"\x00",
    }
    found = kinds(run(PROBE, make_view(files)))["hygiene.binary-artifact"]
    messages = " | ".join(f.message for f in found)
    assert "1 model files" in messages and "1 large data files" in messages
    assert "W&B run output committed to git (2 files under wandb)" in messages


def test_files_referred_to_but_missing(make_view):
    files = {
        "dockerfiles/train.dockerfile": "FROM python\nCOPY src/ src/\nCOPY requirements.txt requirements.txt\n"
        "COPY configs/ configs/\nCOPY data/processed data/processed\n"
        'ENTRYPOINT ["python", "src/pkg/train.py"]\n',
        "src/pkg/train.py": "x = 1\n",
        "requirements.txt": "torch\n",
        ".github/workflows/ci.yml": "on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n"
        "      - run: docker build -f dockerfiles/api.dockerfile .\n"
        "      - run: python scripts/evaluate.py\n",
    }
    found = kinds(run(PROBE, make_view(files)))["hygiene.missing-reference"]
    messages = sorted(f.message for f in found)
    assert messages == [
        ".github/workflows/ci.yml runs dockerfiles/api.dockerfile, which is not in the repository",
        ".github/workflows/ci.yml runs scripts/evaluate.py, which is not in the repository",
        "dockerfiles/train.dockerfile copies configs/, which is not in the repository",
    ]


def test_dotted_paths_git_and_data_folders_are_not_missing(make_view):
    files = {
        ".dvc/config": "[core]\n",
        "Dockerfile": "FROM python\nCOPY .dvc/ .dvc/\nCOPY .git .git\nCOPY data data\nCOPY ./.dvc/config c\n",
    }
    assert "hygiene.missing-reference" not in kinds(run(PROBE, make_view(files)))


def test_tokens_count_only_as_whole_words(make_view):
    token = "ghp_" + "A1" * 20
    aws = "AKIA" + "ABCDEFGH12345678"
    files = {
        "a.env": f"GITHUB_TOKEN={token}\n",
        "b.py": f"x = 'x{token}'\ny = '{token}_suffix'\n",
        "c.txt": f"key: {aws}\n",
        "d.txt": f"id: {aws}9\nid: Z{aws}\n",
        "e.md": "hf_" + "a" * 40 + "\n",
        "f.cfg": "x = 1\ntoken = ghs_" + "B2" * 20 + "\n",
    }
    found = kinds(run(PROBE, make_view(files)))["hygiene.secret"]
    assert sorted((f.path, f.line, f.snippet.split(":")[0]) for f in found) == [
        ("a.env", 1, "GitHub token"),
        ("c.txt", 1, "AWS access key"),
        ("e.md", 1, "Hugging Face token"),
        ("f.cfg", 2, "GitHub token"),
    ]


def test_a_wandb_key_is_found_whatever_the_case_of_its_name(make_view):
    found = run(PROBE, make_view({"conf.sh": f"export wandb_api_key={KEY}\n"}))
    assert [f.path for f in found if f.kind == "hygiene.secret"] == ["conf.sh"]
