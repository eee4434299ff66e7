"""Files (photos, PDFs) attached to a complaint or to one message of its conversation."""
