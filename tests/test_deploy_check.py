"""`manage.py check --deploy` passes with production settings, and would notice a weak one."""

from tests.production_server import manage, production_env

DEPLOY_CHECK = ("check", "--deploy", "--fail-level", "WARNING")


def test_the_deploy_check_passes_with_production_settings(tmp_path):
    result = manage(production_env(tmp_path), *DEPLOY_CHECK)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_the_deploy_check_fails_when_hsts_is_switched_off(tmp_path):
    result = manage(production_env(tmp_path, SECURE_HSTS_SECONDS="0"), *DEPLOY_CHECK)
    assert result.returncode != 0
    assert "security.W004" in result.stderr


def test_production_refuses_to_start_with_the_development_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = manage(env, "check")
    assert result.returncode != 0
    assert "Set SECRET_KEY when DEBUG is off." in result.stderr
