"""Import of existing meeting summaries: readers (file → text), a pure parser (text → structure),
and the services that write a parse result as a draft convening."""
