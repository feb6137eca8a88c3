"""The exam banks, one module per chapter (``chNN.py``, a list ``QUESTIONS``)."""
