"""Imported by the forkserver that starts :class:`core.nlp.Analyser`'s worker processes.

Importing this module loads the default pipeline and the sanctions matcher into
the importing process. The forkserver does it once, so every worker is forked
with spaCy imported, the French tokenizer's rules compiled and the model in
memory (shared with the server until written), instead of spending about 6 s
on each of these in each worker. Nothing else should import it.
"""

import contextlib

from core.nlp import MODEL, _init_worker

# On an error each worker loads the pipeline itself, and reports why it cannot; an
# interrupt (Ctrl-C reaches the whole process group) stops the run from the main process.
with contextlib.suppress(Exception, KeyboardInterrupt):
    _init_worker(MODEL)
