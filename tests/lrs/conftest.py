"""The LRS fixtures for the tests in this folder. Tests elsewhere import them:
``from tests.lrs.ralph import lrs`` and ``from tests.lrs.state_server import lms_endpoint``
(each with ``# noqa: F401``)."""

from tests.lrs.ralph import lrs  # noqa: F401
from tests.lrs.state_server import lms_endpoint  # noqa: F401
