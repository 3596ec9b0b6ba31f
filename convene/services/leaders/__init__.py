"""The thematic leadership programme: calls for leaders, the groups that apply, their
review by criterion, the decision, and the leaderships appointed for a term.

What each module does (they import each other, never this package):
"""
