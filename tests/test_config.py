"""mail-lint.toml: defaults, every bad key or value is an error naming it."""
import pytest

from mail_lint.config import load, validate
from mail_lint.errors import ConfigError


def test_defaults_load_without_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MAIL_LINT_CONFIG", raising=False)
    config = load()
    assert config.section("general")["timezone"] == "Europe/Moscow"
    assert config.section("signature")["required"] == ["name", "title", "company", "phone"]


@pytest.mark.parametrize("raw, key", [
    ({"nonsense": {}}, "[nonsense]"),
    ({"general": {"tz": "UTC"}}, "general.tz"),
    ({"general": {"timezone": "Mars/Olympus"}}, "general.timezone"),
    ({"store": {"url": 5}}, "store.url"),
    ({"imap": {"security": "ssl"}}, "imap.security"),
    ({"imap": {"port": "993"}}, "imap.port"),
    ({"rules": {"severity": {"greeting.missing": "fatal"}}}, "rules.severity.greeting.missing"),
    ({"forward": {"vague_subjects": [1, 2]}}, "forward.vague_subjects"),
    # The checks' own option values are checked at load, not on each email as an internal finding.
    ({"signature": {"required": ["name", "shoe size"]}}, "signature.required"),
    ({"signature": {"phone_pattern": "(unclosed"}}, "signature.phone_pattern"),
    ({"signature": {"max_lines": 0}}, "signature.max_lines"),
    ({"wordiness": {"extra_phrases": {"de": {"also": ""}}}}, "wordiness.extra_phrases"),
    ({"wordiness": {"lists": ["no-such-phrases.yaml"]}}, "wordiness.lists"),
    ({"grammar": {"words_file": "/no/such/dictionary.txt"}}, "grammar.words_file"),
])
def test_bad_keys_and_values_are_named(raw, key):
    with pytest.raises(ConfigError) as err:
        validate(raw)
    assert key in str(err.value) and "\n" not in str(err.value)


def test_config_file_from_env_and_flag(tmp_path, monkeypatch):
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text('[general]\ntimezone = "UTC"\n')
    b.write_text('[general]\ntimezone = "Asia/Yekaterinburg"\n')
    monkeypatch.setenv("MAIL_LINT_CONFIG", str(a))
    assert load().section("general")["timezone"] == "UTC"
    assert load(b).section("general")["timezone"] == "Asia/Yekaterinburg"


def test_broken_toml_and_missing_file_are_one_line_errors(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("[general\ntimezone = ")
    for path in (broken, tmp_path / "missing.toml"):
        with pytest.raises(ConfigError) as err:
            load(path)
        assert str(path) in str(err.value)


def test_a_bad_check_option_in_a_file_stops_the_cli_with_exit_2(tmp_path, capsys):
    from mail_lint.cli import main
    config = tmp_path / "mail-lint.toml"
    config.write_text('[signature]\nphone_pattern = "(unclosed"\n')
    draft = tmp_path / "draft.txt"
    draft.write_text("Мария, добрый день!\n\nПришлите договор до пятницы.\n")
    assert main(["check", "--config", str(config), str(draft)]) == 2
    err = capsys.readouterr().err
    assert "signature.phone_pattern" in err and err.count("\n") == 1


def test_example_config_is_complete_commented_and_loads_as_the_defaults(cli, tmp_path):
    import tomllib
    from mail_lint.config import KEY_DOCS, SERVICE_SECTIONS, validate
    p = cli("config", "--example")
    assert p.returncode == 0, p.stderr
    example = p.stdout
    defaults = validate({}).data
    assert tomllib.loads(example) == defaults  # every section and key, at its default
    lines = example.splitlines()
    for section in defaults:
        at = lines.index(f"[{section}]")
        assert lines[at - 1].startswith("# "), f"[{section}] has no comment above it"
    for section, keys in SERVICE_SECTIONS.items():
        for key in keys:
            assert (section, key) in KEY_DOCS, f"{section}.{key} is not explained"
    config = tmp_path / "mail-lint.toml"
    config.write_text(example, encoding="utf-8")
    assert cli("config", "--config", str(config)).returncode == 0


def test_a_password_file_may_name_systemds_credentials_directory(tmp_path, monkeypatch):
    from mail_lint.config import read_password
    (tmp_path / "imap-password").write_text("s3cret\n", encoding="utf-8")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path))
    section = validate({"imap": {"password_file": "${CREDENTIALS_DIRECTORY}/imap-password"}}).section("imap")
    assert read_password(section, "imap") == "s3cret"
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path / "elsewhere"))
    with pytest.raises(ConfigError, match=f"cannot read {tmp_path}/elsewhere/imap-password"):
        read_password(section, "imap")
