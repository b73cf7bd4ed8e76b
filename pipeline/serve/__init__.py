"""``undoc serve``: a live preview of the sources' HTML on 127.0.0.1.

:mod:`pipeline.serve.watch` notices edits to the sources and their registers;
:mod:`pipeline.serve.server` serves the pages, rebuilds through the build it is given (the
command line passes :func:`pipeline.build.engine.build`, so the preview is the build's own
HTML, never a second rendering) and tells open pages to reload.
"""
