"""A local webhook receiver: alerts are tested by what actually arrives over HTTP."""

import pytest

from support import webhook_receiver


@pytest.fixture
def receiver():
    with webhook_receiver() as endpoint:
        yield endpoint
