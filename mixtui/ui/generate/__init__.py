"""Generate: the prompt screen, its live stages, the manual pick and saving the playlist."""
