"""The engine room: how a build runs fast, never what it computes.

The stages (:mod:`kg.ingest`, :mod:`kg.nlp`, :mod:`kg.resolve`,
:mod:`kg.events`, :mod:`kg.graph`, :mod:`kg.export`, :mod:`kg.viz`) say what
is computed; :mod:`kg.pipeline` calls them in order; the modules here decide
how, around the stages, and never change the output:

- :mod:`kg.run.workers`: forked worker processes that share the loaded
  spaCy pipeline and keep the heap they free;
- :mod:`kg.run.distributed`: extraction on a dask.distributed cluster;
- :mod:`kg.run.threads`: background threads (reading ahead, writing the cache);
- :mod:`kg.run.extraction`: the build cache, the worker processes or the
  cluster: which one extracts each document;
- :mod:`kg.run.spill`: a large corpus's extractions read back from the
  build cache instead of held in memory (:data:`~kg.run.spill.KEEP_GRAPH_DOCS`);
- :mod:`kg.run.pageproc`: ``graph.html`` made by a second process, and the
  rule for when it starts (:data:`~kg.run.pageproc.PAGE_MEMORY_BYTES`,
  :data:`~kg.run.pageproc.PARALLEL_PAGE_DOCS`);
- :mod:`kg.run.writer`: the output choreography: the store loaded in a
  thread, the statements streamed to N-Triples, the Turtle sort-merged on
  disk, the page process fed.

Stage modules never import :mod:`kg.run`. This package imports nothing when
imported itself (the page process imports :mod:`kg.run.pageproc` first thing).
"""
