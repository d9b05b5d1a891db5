"""mixtui as a local service: the Mixider HTTP API, the library and the player, and MCP tools.

:mod:`~mixtui.serve.core` holds what the server asks of the domain, :mod:`~mixtui.serve.app` the
routes, :mod:`~mixtui.serve.guard` keys, rate limits and request limits, :mod:`~mixtui.serve.mcp`
the tools, and :mod:`~mixtui.serve.runner` uvicorn (standalone or in the app).
"""
