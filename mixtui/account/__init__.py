"""Your Mixcloud account: sign in (OAuth2), ``/me/``, follow/favourite/repost/Listen Later, uploads and edits.

Shared by ``mixtui mixcloud …`` and the app. The access token lives in a 0600 file
(:mod:`mixtui.account.tokens`), is sent only as the ``access_token`` query parameter, and is
never logged or shown; a token Mixcloud rejects is dropped and the user is asked to log in again.
"""
