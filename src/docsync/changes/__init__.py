"""What a change did: the two sides from git, the pure symbol diff, and the history of a file."""
