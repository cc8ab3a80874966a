"""The text layer: paragraphs, markers, and the one name index, quote scanner and sentence splitter."""
