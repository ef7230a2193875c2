"""The syllabus archive: writing it, its MDTO metadata, and its integrity check."""
