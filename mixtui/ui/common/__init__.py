"""What every screen shares: the base screen, media and list tables, tabs, dialogs, messages, themes."""
