"""Library: the screen, its panes and columns, its dialogs, edits and store calls."""
