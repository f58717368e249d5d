"""The spaCy side of claimlint: lemmas, term matching, matcher kinds, context components."""
