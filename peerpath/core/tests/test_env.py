import pytest

from config import env


def test_booleans_accept_only_clear_words(monkeypatch):
    for word, expected in [("true", True), ("On", True), ("1", True), ("no", False), ("0", False)]:
        monkeypatch.setenv("PP_FLAG", word)
        assert env.boolean("PP_FLAG", default=not expected) is expected


def test_the_string_false_is_false_and_a_typo_is_an_error(monkeypatch):
    monkeypatch.setenv("PP_FLAG", "False")
    assert env.boolean("PP_FLAG", default=True) is False
    monkeypatch.setenv("PP_FLAG", "flase")
    with pytest.raises(env.ImproperlyConfiguredError, match="PP_FLAG must be one of"):
        env.boolean("PP_FLAG", default=True)


def test_a_secret_can_come_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("PP_SECRET_FILE", str(secret))
    monkeypatch.setenv("PP_SECRET", "from-the-environment")
    assert env.string("PP_SECRET") == "from-a-file"


def test_a_missing_required_variable_names_itself(monkeypatch):
    monkeypatch.delenv("PP_MISSING", raising=False)
    with pytest.raises(env.ImproperlyConfiguredError, match="Set the PP_MISSING"):
        env.string("PP_MISSING")


def test_lists_and_integers(monkeypatch):
    monkeypatch.setenv("PP_HOSTS", " a.example, b.example ,")
    assert env.string_list("PP_HOSTS") == ["a.example", "b.example"]
    monkeypatch.setenv("PP_NUMBER", "twelve")
    with pytest.raises(env.ImproperlyConfiguredError, match="whole number"):
        env.integer("PP_NUMBER", default=1)
