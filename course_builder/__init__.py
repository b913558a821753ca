"""course_builder: compile e-learning courses into SCORM, xAPI and cmi5 packages."""

__version__ = "0.1.0"
