"""What plays: the now-playing bar, its state and the queue screen."""
