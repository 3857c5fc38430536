"""The pure domain of complaint_kit: no files, no Excel, no clock.

Every function here takes ``now`` and the settings as arguments. Modules are nouns
(``calendar``, ``routing``, ``numbering``); functions are verbs (``compute_*`` pure,
``check_*`` returning a list of :class:`~complaint_kit.domain.problems.Problem`).
"""
