"""What events tells the apps built on it, which it does not import.

``content_changed`` is sent once a change that a convening's documents show has been committed,
with ``convening_id``; publications receives it to pre-render the convening's documents.
``convening_published`` is sent once a publication is committed, with ``convening_id``;
recommendations receives it to suggest recurrences across convenings.
"""

from django.dispatch import Signal

content_changed = Signal()
convening_published = Signal()
