"""Search: the screen, its results and one status chip per platform."""
