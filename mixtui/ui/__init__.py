"""The Textual app: the only package that imports Textual. It wires screens to the domain."""
