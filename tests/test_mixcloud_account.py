"""The Mixcloud account (login, /me/, actions, rate limits, a rejected token): real httpx, a loopback Mixcloud."""

from __future__ import annotations

import os
import stat
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from mixtui.account.mixcloud import AccountRejected, Action, MixcloudAccount, without_token
from mixtui.account.oauth import (
    LoopbackRedirect,
    authorize_url,
    client_credentials,
    login_in_browser,
    login_with_code,
    parse_token_answer,
    redirect_uri_for,
)
from mixtui.account.tokens import TokenStore, default_token_path
from mixtui.config import Settings
from mixtui.errors import BadInput, NotFound, PlatformAuthError, PlatformTimeout, RateLimited
from mixtui.services import Services
from tests.support.mixcloud_account import FakeMixcloud, fake_mixcloud, fake_mixcloud_settings  # noqa: F401


@pytest.fixture
async def account(settings: Settings) -> AsyncIterator[MixcloudAccount]:
    async with Services(settings) as services:
        yield services.mixcloud_account


@pytest.fixture
def signed_in(fake: FakeMixcloud, account: MixcloudAccount) -> str:
    token = fake.issue_token()
    account.store.save(token)
    return token


def follow_in_browser(url: str) -> bool:
    """What a browser does: the authorize page redirects to mixtui's loopback address, which answers."""
    with httpx.Client(follow_redirects=True, timeout=5) as browser:
        final = browser.get(url)
    assert final.url.host == "127.0.0.1" and final.url.path == "/mixcloud/callback"
    return True


# -- signing in -------------------------------------------------------------------------------------------


async def test_login_in_the_browser_end_to_end(fake: FakeMixcloud, account: MixcloudAccount) -> None:
    announced: list[tuple[str, bool]] = []
    me = await login_in_browser(account, open_browser=follow_in_browser, announce=lambda u, o: announced.append((u, o)))
    assert me.user.username == "djane" and me.user.name == "DJ Ane"
    [(url, opened)] = announced
    assert opened and url.startswith(f"{fake.site_url}/oauth/authorize?")
    query = parse_qs(urlsplit(url).query)
    assert query["client_id"] == [fake.client_id]
    assert query["redirect_uri"][0].startswith("http://127.0.0.1:")
    assert fake.client_secret not in url
    # The code went to access_token with the secret and the same redirect URI.
    exchange = next(seen for seen in fake.seen if seen.path == "/oauth/access_token")
    assert exchange.query["client_secret"] == fake.client_secret
    assert exchange.query["redirect_uri"] == query["redirect_uri"][0]
    # The token is kept in a 0600 file in the user config dir, and Mixcloud accepts it.
    path = default_token_path()
    assert path.parent == Path(os.environ["XDG_CONFIG_HOME"]) / "mixtui"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    stored = TokenStore().load()
    assert stored is not None and stored.access_token in fake.tokens
    assert stored.access_token not in repr(stored)


async def test_login_refused_in_the_browser_keeps_nothing(fake: FakeMixcloud, account: MixcloudAccount) -> None:
    fake.deny_login = True

    def deny(url: str) -> bool:
        with httpx.Client(follow_redirects=True, timeout=5) as browser:
            assert browser.get(url).status_code == 400
        return True

    with pytest.raises(PlatformAuthError, match="did not sign you in: access_denied"):
        await login_in_browser(account, open_browser=deny, announce=lambda u, o: None)
    assert not account.signed_in


async def test_login_times_out_when_the_browser_never_comes_back(account: MixcloudAccount) -> None:
    shown: list[bool] = []
    with pytest.raises(PlatformTimeout, match="no answer from the browser"):
        await login_in_browser(
            account, open_browser=lambda url: False, announce=lambda u, o: shown.append(o), timeout=0.3
        )
    assert shown == [False]  # no browser: the CLI prints the URL
    assert not account.signed_in


async def test_login_with_a_pasted_code(fake: FakeMixcloud, account: MixcloudAccount, settings: Settings) -> None:
    redirect_uri = redirect_uri_for(settings.platforms.mixcloud.redirect_port)
    url = authorize_url(settings, client_credentials(settings).client_id, redirect_uri)
    location = httpx.get(url, follow_redirects=False).headers["location"]
    code = parse_qs(urlsplit(location).query)["code"][0]
    me = await login_with_code(account, code)
    assert me.user.username == "djane" and account.signed_in
    # A code works once.
    account.logout()
    with pytest.raises(PlatformAuthError, match="refused the login code"):
        await login_with_code(account, code)
    assert not account.signed_in


async def test_a_form_encoded_token_answer_is_read(fake: FakeMixcloud, account: MixcloudAccount) -> None:
    fake.token_answer_as_form = True
    await login_in_browser(account, open_browser=follow_in_browser, announce=lambda u, o: None)
    assert account.signed_in
    assert parse_token_answer('{"error": {"message": "Invalid code"}}') == (None, "Invalid code")
    assert parse_token_answer("access_token=abc123") == ("abc123", "")


async def test_login_needs_the_client_id_and_the_secret(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MIXCLOUD_CLIENT_SECRET")
    with pytest.raises(BadInput, match="MIXCLOUD_CLIENT_SECRET"):
        client_credentials(settings)
    monkeypatch.setenv("MIXCLOUD_CLIENT_SECRET", "very-secret-value")
    without_id = settings.model_copy(deep=True)
    without_id.platforms.mixcloud.client_id = None
    with pytest.raises(BadInput, match="client_id"):
        client_credentials(without_id)
    assert "very-secret-value" not in repr(client_credentials(settings))


async def test_the_loopback_answers_only_its_callback() -> None:
    async with LoopbackRedirect(0) as redirect:
        async with httpx.AsyncClient() as browser:
            assert (await browser.get(f"http://127.0.0.1:{redirect.port}/favicon.ico")).status_code == 404
            answer = await browser.get(f"{redirect.uri}?code=abc")
        assert answer.status_code == 200 and "close this tab" in answer.text
        assert await redirect.code(1) == "abc"


def test_a_token_file_others_can_read_is_refused(tmp_path: Path) -> None:
    store = TokenStore(tmp_path / "token.json")
    store.save("secret-token")
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    os.chmod(store.path, 0o644)
    with pytest.raises(Exception, match="can be read by others"):
        store.load()
    assert store.clear() and not store.clear()


# -- /me/ ---------------------------------------------------------------------------------------------------


async def test_me_and_its_lists_page_on_without_showing_the_token(
    fake: FakeMixcloud, account: MixcloudAccount, signed_in: str
) -> None:
    me = await account.me()
    assert me.user.username == "djane" and me.is_pro is False
    assert all(signed_in not in link for link in me.connections.values())
    first = await account.me_page("favorites", limit=10)
    assert len(first.shows) == 10 and first.has_more
    assert first.next is not None and "access_token" not in first.next
    second = await account.more(first)
    third = await account.more(second)
    assert [len(page.shows) for page in (first, second, third)] == [10, 10, 5]
    assert not third.has_more
    titles = [show.title for page in (first, second, third) for show in page.shows]
    assert len(set(titles)) == 25
    back = await account.previous(third)
    assert back.shows == second.shows
    following = await account.me_page("following")
    assert [user.username for user in following.users] == ["nightowl"]
    # Every request carried the token, as a query parameter.
    assert all(seen.query.get("access_token") == signed_in for seen in fake.seen if seen.path.startswith("/me/"))
    with pytest.raises(BadInput, match="your Mixcloud lists are"):
        await account.me_page("stream")


async def test_not_signed_in_says_how_to_sign_in(account: MixcloudAccount, fake: FakeMixcloud) -> None:
    with pytest.raises(BadInput, match="not signed in") as caught:
        await account.me()
    assert caught.value.hint == "run `mixtui mixcloud login`"
    assert fake.seen == []


def test_without_token_drops_only_the_token() -> None:
    link = "https://api.mixcloud.com/me/favorites/?access_token=abc&limit=10&offset=10"
    assert without_token(link) == "https://api.mixcloud.com/me/favorites/?limit=10&offset=10"


# -- actions ------------------------------------------------------------------------------------------------


async def test_follow_favourite_repost_listen_later_and_undo(
    fake: FakeMixcloud, account: MixcloudAccount, signed_in: str
) -> None:
    result = await account.act(Action.FOLLOW, "spartacus")
    assert result.key == "/spartacus/" and "/spartacus/" in fake.following
    assert (await account.state("spartacus")).following is True
    await account.act(Action.FOLLOW, "https://www.mixcloud.com/spartacus/", undo=True)
    assert "/spartacus/" not in fake.following
    assert (await account.state("/spartacus/")).following is False
    show = "https://www.mixcloud.com/spartacus/party-time/?utm_source=x"
    for action, chosen in (
        (Action.FAVORITE, fake.favorites),
        (Action.REPOST, fake.reposts),
        (Action.LISTEN_LATER, fake.listen_later),
    ):
        await account.act(action, show)
        assert "/spartacus/party-time/" in chosen
        assert (await account.state(show)).get(action) is True
        await account.act(action, "/spartacus/party-time/", undo=True)
        assert "/spartacus/party-time/" not in chosen
    methods = [(seen.method, seen.path) for seen in fake.seen if seen.path.endswith("/repost/")]
    assert methods == [("POST", "/spartacus/party-time/repost/"), ("DELETE", "/spartacus/party-time/repost/")]


async def test_undo_falls_back_to_method_delete_when_delete_is_refused(
    fake: FakeMixcloud, account: MixcloudAccount, signed_in: str
) -> None:
    fake.refuse_delete = True
    await account.act(Action.FAVORITE, "/spartacus/party-time/")
    await account.act(Action.FAVORITE, "/spartacus/party-time/", undo=True)
    assert "/spartacus/party-time/" not in fake.favorites
    undo = [seen for seen in fake.seen if seen.path.endswith("/favorite/")][1:]
    assert [(seen.method, seen.form) for seen in undo] == [("DELETE", {}), ("POST", {"method": "delete"})]


async def test_actions_refuse_the_wrong_kind_of_target(account: MixcloudAccount, signed_in: str) -> None:
    with pytest.raises(BadInput, match="not a single Mixcloud show"):
        await account.act(Action.FAVORITE, "https://www.mixcloud.com/spartacus/")
    with pytest.raises(BadInput, match="not a Mixcloud user"):
        await account.act(Action.FOLLOW, "/spartacus/party-time/")
    with pytest.raises(NotFound, match="no show at /spartacus/nothing/"):
        await account.act(Action.REPOST, "/spartacus/nothing/")


async def test_a_rate_limit_is_kept_and_nothing_is_retried(
    fake: FakeMixcloud, account: MixcloudAccount, signed_in: str
) -> None:
    fake.rate_limit_next(452)
    with pytest.raises(RateLimited, match="retry in 452 s") as caught:
        await account.act(Action.FAVORITE, "/spartacus/party-time/")
    assert caught.value.retry_after == 452
    before = len(fake.seen)
    with pytest.raises(RateLimited, match=r"retry in 45\d s"):
        await account.me()
    assert len(fake.seen) == before  # refused here, nothing sent
    assert "/spartacus/party-time/" not in fake.favorites


async def test_a_rejected_token_is_dropped_with_a_clear_message(
    fake: FakeMixcloud, account: MixcloudAccount, signed_in: str
) -> None:
    fake.revoke_all()
    with pytest.raises(AccountRejected, match="no longer accepts your login") as caught:
        await account.act(Action.FOLLOW, "spartacus")
    assert caught.value.hint is not None and "mixtui mixcloud login" in caught.value.hint
    assert not account.signed_in and not default_token_path().exists()
    with pytest.raises(BadInput, match="not signed in"):
        await account.me()


async def test_me_lists_parse_recorded_list_answers(
    fake: FakeMixcloud, account: MixcloudAccount, signed_in: str, recorded_fixtures: Path
) -> None:
    import json

    payload = json.loads((recorded_fixtures / "mixcloud" / "api-user-cloudcasts.json").read_text())
    fake.recorded_lists["cloudcasts"] = payload
    page = await account.me_page("cloudcasts")
    assert len(page.shows) == len(payload["data"]) > 0
    assert all(show.platform.value == "mixcloud" and show.url.startswith("https://") for show in page.shows)
    assert page.next == (payload.get("paging") or {}).get("next")
