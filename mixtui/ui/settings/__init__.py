"""Settings: the screen."""
