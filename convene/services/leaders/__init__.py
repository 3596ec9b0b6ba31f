"""The thematic leadership programme: calls for leaders, the groups that apply, their
review by criterion, the decision, and the leaderships appointed for a term.

What each module does (they import each other, never this package):

reviews       scoring an application per criterion, the weighted score, the review queue
              and the side-by-side comparison of one call's applications
decisions     appoint | decline | request_changes; appointing makes the leadership, and a
              closed call whose applications are all decided becomes decided
leaderships   the current leaderships, inviting members during the term, the term's end
              (the daily job) with one notice before it, the renewal call
"""
