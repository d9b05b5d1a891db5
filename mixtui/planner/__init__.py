"""Turn a prompt into a playlist: LLM or offline planner, fuzzy matching, concurrent resolution."""
