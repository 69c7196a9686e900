"""What events tells the apps built on it, which it does not import.

``content_changed`` is sent once a change that a convening's documents show has been committed,
with ``convening_id``; publications receives it to pre-render the convening's documents.
``convening_published`` is sent once a publication is committed, with ``convening_id``;
recommendations receives it to suggest recurrences across convenings, and, with
``convening_unpublished`` (sent once an unpublication is committed), to mark stale the documents
of the convenings whose recommendations restate its own ("first asked in …" may change).
"""

from django.dispatch import Signal

content_changed = Signal()
convening_published = Signal()
convening_unpublished = Signal()
