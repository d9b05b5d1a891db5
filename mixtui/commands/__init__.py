"""CLI subcommands, one module per capability; the domain code they call is shared with the app."""
